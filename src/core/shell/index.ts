// The shell toolkit for rules: parse archive_command / restore_command as /bin/sh would, then ask questions about it.
export * from './shellAst';
export { parseShell, MAX_DEPTH, type ShellParseResult } from './shellParser';
export { lexShell, type LexResult, type ShellOperator, type ShellToken } from './shellLexer';
export * from './commandAnalysis';
