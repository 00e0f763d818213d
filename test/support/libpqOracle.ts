// The real libpq 18 (node_modules/pg18's libpq.so.5, through python3's ctypes) as an oracle for
// connection behaviour: PQconnectdb on a connection string, its error message. No pg-pitr code.
// Asynchronous: a fake server in the test's own process must be able to answer while libpq waits.
import { spawn, spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';

import { binDir } from './postgresServers';

const SCRIPT = `
import ctypes, json, sys
lib = ctypes.CDLL(sys.argv[1])
lib.PQconnectdb.restype = ctypes.c_void_p
lib.PQconnectdb.argtypes = [ctypes.c_char_p]
lib.PQerrorMessage.restype = ctypes.c_char_p
lib.PQerrorMessage.argtypes = [ctypes.c_void_p]
lib.PQstatus.argtypes = [ctypes.c_void_p]
lib.PQfinish.argtypes = [ctypes.c_void_p]
c = lib.PQconnectdb(sys.argv[2].encode())
print(json.dumps({"ok": lib.PQstatus(c) == 0, "message": lib.PQerrorMessage(c).decode("utf-8", "replace")}))
lib.PQfinish(c)
`;

/** libpq 18's shared library, or null (with the reason) when it or python3 is missing. */
export function libpqOracle():
  { connect(conninfo: string): Promise<{ ok: boolean; message: string }> } | { missing: string } {
  const lib = path.join(binDir(18), '..', 'lib', 'libpq.so.5');
  if (!fs.existsSync(lib)) return { missing: `libpq 18 (${lib})` };
  if (spawnSync('python3', ['-c', 'import ctypes'], { timeout: 10_000 }).status !== 0) return { missing: 'python3' };
  return {
    async connect(conninfo: string) {
      const child = spawn('python3', ['-c', SCRIPT, lib, conninfo], { stdio: ['ignore', 'pipe', 'pipe'] });
      let stdout = '';
      let stderr = '';
      child.stdout.setEncoding('utf8').on('data', (d: string) => (stdout += d));
      child.stderr.setEncoding('utf8').on('data', (d: string) => (stderr += d));
      const timer = setTimeout(() => child.kill(), 30_000);
      const status = await new Promise<number | null>((resolve) => child.on('close', (code) => resolve(code)));
      clearTimeout(timer);
      if (status !== 0) throw new Error(`libpq oracle failed: ${stderr}`);
      const out = JSON.parse(stdout) as { ok: boolean; message: string };
      // libpq: 'connection to server at "127.0.0.1", port N failed: MESSAGE\n'
      return { ok: out.ok, message: out.message.replace(/^connection to server at [^:]*: /, '').replace(/\n$/, '') };
    },
  };
}
