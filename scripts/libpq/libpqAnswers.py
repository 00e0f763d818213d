#!/usr/bin/env python3
"""Answers questions about connection settings with the real libpq (through ctypes): the oracle of
pg-pitr's connection-string, password-file and service-file readers, and the way to regenerate the
answers recorded in their unit tests (test/unit/server/*.test.ts were recorded with libpq 18).

Reads one JSON request per line on stdin and writes one JSON answer per line on stdout:
  {"op": "parse", "conninfo": "..."}            -> {"options": {k: v}} | {"error": "..."}
  {"op": "password", "passfile": f, "host": h, "port": p, "dbname": d, "user": u}
                                                -> {"password": str, "stderr": "..."}
      (PQpass answers "" both for an empty password and for no matching line)
  {"op": "service", "service": s, "env": {...}} -> {"options": {k: v}} | {"error": "..."}
  {"op": "version"}                             -> {"version": 180001}
Usage: npm run libpq:answers (libpq 18 of node_modules/pg18), or libpqAnswers.py /path/to/libpq.so.5
  e.g. echo '{"op": "parse", "conninfo": "postgresql://h/?ssl=true"}' | npm run -s libpq:answers
"""
import ctypes
import json
import os
import sys
import tempfile


class Option(ctypes.Structure):
    _fields_ = [
        ("keyword", ctypes.c_char_p),
        ("envvar", ctypes.c_char_p),
        ("compiled", ctypes.c_char_p),
        ("val", ctypes.c_char_p),
        ("label", ctypes.c_char_p),
        ("dispchar", ctypes.c_char_p),
        ("dispsize", ctypes.c_int),
    ]


def load(path):
    pq = ctypes.CDLL(path)
    pq.PQconninfoParse.restype = ctypes.POINTER(Option)
    pq.PQconninfoParse.argtypes = [ctypes.c_char_p, ctypes.POINTER(ctypes.c_void_p)]
    pq.PQconninfoFree.argtypes = [ctypes.POINTER(Option)]
    pq.PQfreemem.argtypes = [ctypes.c_void_p]
    pq.PQconnectStart.restype = ctypes.c_void_p
    pq.PQconnectStart.argtypes = [ctypes.c_char_p]
    pq.PQconninfo.restype = ctypes.POINTER(Option)
    pq.PQconninfo.argtypes = [ctypes.c_void_p]
    pq.PQerrorMessage.restype = ctypes.c_char_p
    pq.PQerrorMessage.argtypes = [ctypes.c_void_p]
    pq.PQpass.restype = ctypes.c_char_p
    pq.PQpass.argtypes = [ctypes.c_void_p]
    pq.PQstatus.argtypes = [ctypes.c_void_p]
    pq.PQfinish.argtypes = [ctypes.c_void_p]
    pq.PQlibVersion.restype = ctypes.c_int
    return pq


def options(arr):
    """Values as text: bytes that are not UTF-8 become U+FFFD, as Node decodes them."""
    out = {}
    i = 0
    while arr[i].keyword is not None:
        if arr[i].val is not None:
            out[arr[i].keyword.decode("utf-8", "replace")] = arr[i].val.decode("utf-8", "replace")
        i += 1
    return out


def text(b):
    return b.decode("utf-8", "replace") if b is not None else None


class StderrCapture:
    """libpq prints some warnings (a password file's permissions) with fprintf(stderr)."""

    def __enter__(self):
        sys.stderr.flush()
        self.saved = os.dup(2)
        self.tmp = tempfile.TemporaryFile()
        os.dup2(self.tmp.fileno(), 2)
        return self

    def __exit__(self, *exc):
        libc = ctypes.CDLL(None)
        libc.fflush(None)
        os.dup2(self.saved, 2)
        os.close(self.saved)
        self.tmp.seek(0)
        self.text = self.tmp.read().decode("utf-8", "surrogateescape")
        self.tmp.close()


def quote(v):
    return "'" + v.replace("\\", "\\\\").replace("'", "\\'") + "'"


def start(pq, conninfo, env):
    """PQconnectStart with a clean PG* environment plus env; the connection is never polled."""
    saved = {k: v for k, v in os.environ.items() if k.startswith("PG")}
    for k in saved:
        del os.environ[k]
    os.environ.update(env)
    try:
        return pq.PQconnectStart(conninfo.encode("utf-8", "surrogateescape"))
    finally:
        for k in [k for k in os.environ if k.startswith("PG")]:
            del os.environ[k]
        os.environ.update(saved)


def answer(pq, req):
    op = req.get("op")
    if op == "version":
        return {"version": pq.PQlibVersion()}
    if op == "parse":
        err = ctypes.c_void_p()
        arr = pq.PQconninfoParse(req["conninfo"].encode("utf-8", "surrogateescape"), ctypes.byref(err))
        if not arr:
            msg = ctypes.cast(err, ctypes.c_char_p).value if err.value else b"out of memory"
            if err.value:
                pq.PQfreemem(err)
            return {"error": text(msg).rstrip("\n")}
        try:
            return {"options": options(arr)}
        finally:
            pq.PQconninfoFree(arr)
    if op == "password":
        # hostaddr: no name lookup; the port is closed, and the connection is never polled anyway
        parts = [f"{k}={quote(str(req[k]))}" for k in ("host", "port", "dbname", "user") if req.get(k) is not None]
        host = str(req.get("host", ""))
        parts.append("hostaddr=127.0.0.1" if host and not host.startswith("/") else "")
        parts.append(f"passfile={quote(req['passfile'])}")
        with StderrCapture() as cap:
            conn = start(pq, " ".join(p for p in parts if p), {})
            pw = text(pq.PQpass(conn)) if conn else None
            pq.PQfinish(conn)
        return {"password": pw, "stderr": cap.text}
    if op == "service":
        env = dict(req.get("env", {}))
        env.setdefault("PGPASSFILE", "/nonexistent/pg-pitr-no-pgpass")
        conn = start(pq, f"service={quote(req['service'])} hostaddr=127.0.0.1", env)
        try:
            if pq.PQstatus(conn) == 1 and text(pq.PQerrorMessage(conn)):  # CONNECTION_BAD
                msg = text(pq.PQerrorMessage(conn)).rstrip("\n")
                if "service" in msg or "line" in msg:
                    return {"error": msg}
            arr = pq.PQconninfo(conn)
            try:
                return {"options": options(arr)}
            finally:
                pq.PQconninfoFree(arr)
        finally:
            pq.PQfinish(conn)
    return {"error": f"unknown op {op!r}"}


def main():
    pq = load(sys.argv[1])
    for line in sys.stdin:
        if not line.strip():
            continue
        sys.stdout.write(json.dumps(answer(pq, json.loads(line))) + "\n")
        sys.stdout.flush()


if __name__ == "__main__":
    main()
