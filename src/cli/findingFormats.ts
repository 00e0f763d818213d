// Output formats of `pg-pitr lint`: compiler-style text, JSON, SARIF 2.1.0, GitHub workflow annotations.
import * as path from 'node:path';

import { RULES } from '../core/lint/rules/index';
import type { Finding } from '../core/lint/types';
import { line } from '../core/text/safeText';

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
  return line`${f.file ?? '(configuration)'}:${f.range.start.line + 1}:${f.range.start.character + 1}: ${f.severity} ${f.rule}: ${f.message}`;
}

/**
 * An RFC 3986 file URI for an absolute path: every byte of its UTF-8 form but the unreserved
 * characters, sub-delims, ':', '@' and '/' percent-encoded, so that '#', '?', '%', '[', spaces
 * and non-ASCII letters all parse back to the same path.
 */
export function fileUri(absolutePath: string): string {
  // a Windows path (C:\\x) uses '/' in a URI; on POSIX a backslash is an ordinary character
  const posix = /^[A-Za-z]:[\\/]/.test(absolutePath) ? absolutePath.replace(/\\/g, '/') : absolutePath;
  let out = '';
  for (const byte of Buffer.from(posix.startsWith('/') ? posix : `/${posix}`, 'utf8')) {
    const c = String.fromCharCode(byte);
    out += /[A-Za-z0-9\-._~!$&'()*+,;=:@/]/.test(c) ? c : `%${byte.toString(16).toUpperCase().padStart(2, '0')}`;
  }
  return `file://${out}`;
}

const GITHUB_COMMAND = { error: 'error', warning: 'warning', information: 'notice', hint: 'notice' } as const;

/** GitHub's escaping of a workflow command's message (@actions/core escapeData): `%`, CR and LF. */
export function escapeGithubData(s: string): string {
  return s.replace(/%/g, '%25').replace(/\r/g, '%0D').replace(/\n/g, '%0A');
}

/** GitHub's escaping of a workflow command's property (@actions/core escapeProperty): also `:` and `,`. */
export function escapeGithubProperty(s: string): string {
  return escapeGithubData(s).replace(/:/g, '%3A').replace(/,/g, '%2C');
}

/**
 * One GitHub workflow command (`::error file=…,line=…::message`) that annotates the finding's lines in a pull request.
 * The file is made relative to `cwd` (the workspace), which is what GitHub matches against the repository.
 */
export function toGithub(f: Finding, cwd: string): string {
  const props: string[] = [];
  if (f.file) {
    const rel = path.relative(cwd, f.file);
    const file = rel === '' || rel.startsWith('..') || path.isAbsolute(rel) ? f.file : rel;
    const col = f.range.start.character + 1;
    props.push(
      `file=${escapeGithubProperty(file.split(path.sep).join('/'))}`,
      `line=${f.range.start.line + 1}`,
      `col=${col}`,
      `endLine=${f.range.end.line + 1}`,
      `endColumn=${Math.max(f.range.end.character + 1, col)}`,
    );
  }
  props.push(`title=${escapeGithubProperty(`pg-pitr ${f.rule}`)}`);
  return `::${GITHUB_COMMAND[f.severity]} ${props.join(',')}::${escapeGithubData(f.message)}`;
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
                artifactLocation: { uri: f.file ? fileUri(f.file) : 'postgresql.conf' },
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
                      artifactLocation: { uri: fileUri(e.file) },
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
