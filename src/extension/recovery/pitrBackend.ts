// The heavy core (pg, the SQL parser, the recovery planner) reaches these commands only through the
// lazily loaded second bundle (dist/backend.js, see servers/backendLoader.ts), so activation never loads it.
import { type Backend, loadBackend } from '../servers/backendLoader';

export type PitrBackend = Backend;

export async function loadPitrBackend(): Promise<PitrBackend> {
  return loadBackend();
}
