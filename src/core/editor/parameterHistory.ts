// In which majors a parameter exists, from the catalogs; used by hovers and completion.
import { findParameter, getCatalog, SUPPORTED_MAJORS } from '../catalog/catalogs';

export interface ParameterHistory {
  /** majors where the name is a parameter (or an alias of one) */
  majors: number[];
}

/** "10–12", "13–18", "10, 12–18" */
export function formatMajors(majors: number[]): string {
  const parts: string[] = [];
  for (let i = 0; i < majors.length; i++) {
    let j = i;
    while (j + 1 < majors.length && majors[j + 1] === majors[j] + 1) j++;
    parts.push(i === j ? String(majors[i]) : `${majors[i]}–${majors[j]}`);
    i = j;
  }
  return parts.join(', ');
}

export function parameterHistory(name: string): ParameterHistory {
  return { majors: SUPPORTED_MAJORS.filter((m) => findParameter(getCatalog(m), name) !== undefined) };
}
