// Output formats of `pg-pitr lint`: compiler-style text, JSON, SARIF 2.1.0.
import { RULES } from '../core/lint/rules/index';
import type { Finding } from '../core/lint/types';

export interface JsonFinding {
  file: string | null;
  line: number;
  column: number;
  endLine: number;
  endColumn: number;
  severity: Finding['severity'];
  rule: string;
  message: string;
  fix: null | {
    title: string;
    edits: Array<{ line: number; column: number; endLine: number; endColumn: number; newText: string }>;
  };
}

export function toJson(f: Finding): JsonFinding {
  return {
    file: f.file,
    line: f.range.start.line + 1,
    column: f.range.start.character + 1,
    endLine: f.range.end.line + 1,
    endColumn: f.range.end.character + 1,
    severity: f.severity,
    rule: f.rule,
    message: f.message,
    fix: f.fix
      ? {
          title: f.fix.title,
          edits: f.fix.edits.map((e) => ({
            line: e.range.start.line + 1,
            column: e.range.start.character + 1,
            endLine: e.range.end.line + 1,
            endColumn: e.range.end.character + 1,
            newText: e.newText,
          })),
        }
      : null,
  };
}

export function toText(f: Finding): string {
  return `${f.file ?? '(configuration)'}:${f.range.start.line + 1}:${f.range.start.character + 1}: ${f.severity} ${f.rule}: ${f.message}`;
}

const SARIF_LEVEL = { error: 'error', warning: 'warning', information: 'note', hint: 'note' } as const;

export function toSarif(findings: Finding[], version: string): object {
  const ruleIds = [...new Set([...RULES.map((r) => r.id), ...findings.map((f) => f.rule)])];
  const summaries = new Map(RULES.map((r) => [r.id, r.summary]));
  return {
    $schema: 'https://json.schemastore.org/sarif-2.1.0.json',
    version: '2.1.0',
    runs: [
      {
        tool: {
          driver: {
            name: 'pg-pitr',
            version,
            informationUri: 'https://github.com/pg-pitr/pg-pitr',
            rules: ruleIds.map((id) => ({ id, shortDescription: { text: summaries.get(id) ?? id } })),
          },
        },
        results: findings.map((f) => ({
          ruleId: f.rule,
          ruleIndex: ruleIds.indexOf(f.rule),
          level: SARIF_LEVEL[f.severity],
          message: { text: f.message },
          locations: [
            {
              physicalLocation: {
                artifactLocation: { uri: f.file ? 'file://' + encodeURI(f.file) : 'postgresql.conf' },
                region: {
                  startLine: f.range.start.line + 1,
                  startColumn: f.range.start.character + 1,
                  endLine: f.range.end.line + 1,
                  endColumn: Math.max(f.range.end.character + 1, f.range.start.character + 1),
                },
              },
            },
          ],
          ...(f.fix
            ? {
                fixes: [
                  {
                    description: { text: f.fix.title },
                    artifactChanges: f.fix.edits.map((e) => ({
                      artifactLocation: { uri: 'file://' + encodeURI(e.file) },
                      replacements: [
                        {
                          deletedRegion: {
                            startLine: e.range.start.line + 1,
                            startColumn: e.range.start.character + 1,
                            endLine: e.range.end.line + 1,
                            endColumn: e.range.end.character + 1,
                          },
                          insertedContent: { text: e.newText },
                        },
                      ],
                    })),
                  },
                ],
              }
            : {}),
        })),
      },
    ],
  };
}
