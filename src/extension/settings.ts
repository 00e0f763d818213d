// The one reader of pg-pitr's settings (the `pgPitr.*` section of package.json). Defaults live only in
// package.json: a missing or invalid value falls back to the default VS Code reports from there.
import * as vscode from 'vscode';

const SECTION = 'pgPitr';

function section(): vscode.WorkspaceConfiguration {
  return vscode.workspace.getConfiguration(SECTION);
}

/** The package.json default of a setting. */
function defaultOf<T>(key: string): T {
  return section().inspect<T>(key)?.defaultValue as T;
}

/** A positive number of seconds, else the package.json default. */
function seconds(key: string): number {
  const v = Number(section().get<number>(key));
  return Number.isFinite(v) && v > 0 ? v : defaultOf<number>(key);
}

/** Typed access to every pg-pitr setting. */
export const settings = {
  /** the major configuration files are checked against, or `auto` (PG_VERSION beside the file) */
  postgresVersion(): string {
    return section().get<string>('postgresVersion') ?? defaultOf<string>('postgresVersion');
  },
  async setPostgresVersion(value: string, target: vscode.ConfigurationTarget): Promise<void> {
    await section().update('postgresVersion', value, target);
  },
  /** the raw `pgPitr.servers` list (validated by servers/serverProfiles.ts); an untrusted workspace's is ignored by VS Code */
  servers(): unknown {
    return section().get<unknown>('servers');
  },
  /** where each scope's `pgPitr.servers` list is, for editing the one a server is defined in */
  serversByScope(): { global: unknown; workspace: unknown } {
    const info = section().inspect<unknown>('servers');
    return { global: info?.globalValue, workspace: info?.workspaceValue };
  },
  async setServers(list: unknown[], target: vscode.ConfigurationTarget): Promise<void> {
    await section().update('servers', list, target);
  },
  /** seconds between automatic refreshes of the Servers view; 0 = only by hand */
  refreshIntervalSeconds(): number {
    const v = Number(section().get<number>('refreshIntervalSeconds'));
    return Number.isFinite(v) && v >= 0 ? v : defaultOf<number>('refreshIntervalSeconds');
  },
  /** connect timeout and each query's statement timeout when checking a server */
  connectTimeoutSeconds(): number {
    return seconds('connectTimeoutSeconds');
  },
  /** how long Check Archiving waits for the switched segment */
  checkArchivingTimeoutSeconds(): number {
    return seconds('checkArchivingTimeoutSeconds');
  },
  /**
   * The folder of PostgreSQL's client programs, from the user's own settings only: a workspace (a
   * repository someone else wrote) must not choose which binaries pg-pitr runs.
   */
  pgBinDir(): string {
    const info = section().inspect<string>('pgBinDir');
    const v = info?.globalValue ?? info?.defaultValue ?? '';
    return typeof v === 'string' ? v.trim() : '';
  },
  /** true when a workspace tried to set pgBinDir (ignored, and said so once) */
  pgBinDirSetByWorkspace(): boolean {
    const info = section().inspect<string>('pgBinDir');
    return info?.workspaceValue !== undefined || info?.workspaceFolderValue !== undefined;
  },
  /** the OS user restore drills run their scratch server as when the editor runs as root; '' = ask */
  drillOsUser(): string {
    const info = section().inspect<string>('drillOsUser');
    const v = info?.globalValue ?? info?.defaultValue ?? '';
    return typeof v === 'string' ? v.trim() : '';
  },
  /** warn (no-recent-drill) when the last successful drill is older than this many days; undefined = never */
  drillMaxAgeDays(): number | undefined {
    const v = section().get<number | null>('drillMaxAgeDays');
    return typeof v === 'number' && v > 0 ? v : undefined;
  },
  /** the webhook each health change of a server is POSTed to; '' = none */
  notifyUrl(): string {
    return (section().get<string>('notifyUrl') ?? '').trim();
  },
  /** whether a settings change touches one of ours */
  affects(e: vscode.ConfigurationChangeEvent, key: string): boolean {
    return e.affectsConfiguration(`${SECTION}.${key}`);
  },
};
