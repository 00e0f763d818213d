// The shell toolkit for rules: parse archive_command / restore_command as /bin/sh would, then ask questions about it.
export * from './commandAnalysis';
export * from './shellAst';
export { type LexResult, lexShell, type ShellOperator, type ShellToken } from './shellLexer';
export { MAX_DEPTH, parseShell, type ShellParseResult } from './shellParser';
