// pgPitr.showTimeline: the Recoverability Timeline of a server's archive (a Servers view row, or
// {server: name}) or of an archive location ({location}, a folder Uri, or asked). Reading a local
// folder runs nothing and connects nowhere, so it is allowed in Restricted Mode, as linting is; a
// server (a connection) and an S3 archive (the AWS credential chain may run a credential_process)
// need a trusted workspace.
import * as path from 'node:path';

import * as vscode from 'vscode';

import { isS3Location } from '../../core/archive/s3Location';
import { readProfiles } from '../../core/server/serverProfiles';
import type { ArchiveTimeline } from '../../core/timeline/archiveTimeline';
import { loadBackend } from '../backendLoader';
import { restorePointLogFile } from '../restorePoints/restorePointLogFile';
import { showErrorMessage } from '../safeMessages';
import { chooseServer, isServersViewElement, serverNameOf } from '../servers/serverChoice';
import { withServerConnection } from '../servers/serverConnection';
import { settings } from '../settings';
import { TimelinePanel, type TimelineSubject } from './timelinePanel';

export const SHOW_TIMELINE_COMMAND = 'pgPitr.showTimeline';
const ANALYSIS_TIMEOUT_MS = 120_000;

/** Optional argument: a Servers view row, `{server}`, `{location, endpoint?}`, or a folder Uri. */
export interface ShowTimelineArgument {
  server?: string;
  location?: string;
  endpoint?: string;
}

/** What the command opened (tests read the model through it). */
export interface ShowTimelineResult {
  key: string;
  title: string;
  model: TimelineSubject['model'];
}

interface Where {
  location: string;
  endpoint?: string;
  title: string;
  server?: string;
  systemId?: string | null;
  current?: string;
  serverTimeline?: number;
}

const refuse = (text: string): undefined => {
  void showErrorMessage(`pg-pitr: ${text}`);
  return undefined;
};

export async function showTimelineCommand(
  context: vscode.ExtensionContext,
  arg?: unknown,
): Promise<ShowTimelineResult | undefined> {
  const where = await resolveWhere(context, arg);
  if (!where) return undefined;
  if (!vscode.workspace.isTrusted && isS3Location(where.location)) {
    return refuse(
      `the timeline of an S3 archive needs a trusted workspace (the AWS credential chain may run programs): trust the workspace, or open a local folder.`,
    );
  }
  const backend = loadBackend();
  const restorePoints = vscode.workspace.isTrusted
    ? new backend.RestorePointLog(restorePointLogFile(context)).list()
    : [];
  const drills = backend.readDrillLog(backend.defaultDrillLogFile());
  let built: ArchiveTimeline | undefined;
  try {
    built = await vscode.window.withProgress(
      {
        location: vscode.ProgressLocation.Notification,
        title: `pg-pitr: reading the archive ${where.location}`,
        cancellable: true,
      },
      async (_p, token) => {
        const abort = new AbortController();
        const timer = setTimeout(() => abort.abort(), ANALYSIS_TIMEOUT_MS);
        const sub = token.onCancellationRequested(() => abort.abort());
        const source = backend.openArchiveSource(where.location, { endpoint: where.endpoint });
        try {
          const local = isS3Location(where.location) ? undefined : source.location;
          return await backend.archiveTimeline(
            source,
            { signal: abort.signal, current: where.current, serverTimeline: where.serverTimeline },
            { now: Date.now(), systemId: where.systemId ?? null, restorePoints, drills },
            local,
          );
        } finally {
          clearTimeout(timer);
          sub.dispose();
          await source.close?.();
        }
      },
    );
  } catch (e) {
    return refuse(`reading the archive ${where.location} failed: ${(e as Error).message}`);
  }
  if (!built) return undefined;
  if (!built.report.listingComplete && built.report.timelines.length === 0)
    return refuse(
      `reading the archive ${where.location} failed: ${built.report.problems[0] ?? 'the listing stopped early'}`,
    );
  const subject: TimelineSubject = {
    key: built.model.location,
    title: where.title,
    model: built.model,
    ...(where.server ? { server: where.server } : {}),
  };
  TimelinePanel.show(context, subject);
  return { key: subject.key, title: subject.title, model: subject.model };
}

async function resolveWhere(context: vscode.ExtensionContext, arg: unknown): Promise<Where | undefined> {
  if (arg instanceof vscode.Uri) return { location: arg.fsPath, title: path.basename(arg.fsPath) || arg.fsPath };
  const a = (typeof arg === 'object' && arg !== null ? arg : {}) as ShowTimelineArgument;
  if (typeof a.location === 'string' && a.location.trim() !== '')
    return { location: a.location.trim(), endpoint: a.endpoint, title: a.location.trim() };
  const name =
    isServersViewElement(arg) || typeof arg === 'string' || a.server !== undefined ? serverNameOf(arg) : undefined;
  if (name !== undefined) return serverWhere(context, name);
  return askWhere(context);
}

async function askWhere(context: vscode.ExtensionContext): Promise<Where | undefined> {
  const profiles = vscode.workspace.isTrusted ? readProfiles(settings.servers()).profiles : [];
  type Choice = { kind: 'server'; name: string } | { kind: 'folder' } | { kind: 'location' };
  const items: Array<vscode.QuickPickItem & { choice: Choice }> = [
    ...profiles.map((p) => ({
      label: `$(server) ${p.name}`,
      description: p.archive ?? 'archive from its archive_command',
      choice: { kind: 'server', name: p.name } as Choice,
    })),
    {
      label: '$(folder) Choose an archive folder…',
      description: vscode.workspace.isTrusted ? undefined : 'works in Restricted Mode',
      choice: { kind: 'folder' },
    },
    ...(vscode.workspace.isTrusted
      ? [
          {
            label: '$(cloud) Enter an archive location…',
            description: 'a folder or s3://bucket/prefix',
            choice: { kind: 'location' } as Choice,
          },
        ]
      : []),
  ];
  const picked = await vscode.window.showQuickPick(items, {
    title: 'pg-pitr: Recoverability Timeline',
    placeHolder: 'Which archive?',
    ignoreFocusOut: true,
  });
  if (!picked) return undefined;
  if (picked.choice.kind === 'server') return serverWhere(context, picked.choice.name);
  if (picked.choice.kind === 'folder') {
    const dir = (
      await vscode.window.showOpenDialog({
        canSelectFolders: true,
        canSelectFiles: false,
        canSelectMany: false,
        title: 'WAL archive folder',
        openLabel: 'Show its timeline',
      })
    )?.[0];
    return dir ? { location: dir.fsPath, title: path.basename(dir.fsPath) || dir.fsPath } : undefined;
  }
  const location = await vscode.window.showInputBox({
    title: 'pg-pitr: archive location',
    prompt: 'A folder or s3://bucket/prefix',
    ignoreFocusOut: true,
    validateInput: (v) => (v.trim() === '' ? 'a location is needed' : undefined),
  });
  return location ? { location: location.trim(), title: location.trim() } : undefined;
}

/** A configured server: its archive (configured, or from archive_command), system identifier and current WAL. */
async function serverWhere(context: vscode.ExtensionContext, name: string): Promise<Where | undefined> {
  if (!vscode.workspace.isTrusted)
    return refuse(
      `the timeline of server "${name}" needs a trusted workspace (pg-pitr connects to servers only there).`,
    );
  const server = await chooseServer(context, name, 'show the timeline of');
  if (!server) return undefined;
  const info = await withServerConnection(
    { extension: context, backend: async () => loadBackend() },
    server,
    { readOnly: true },
    async (conn) => {
      const [row] = await conn.query<{
        archive_command: string;
        archive_library: string;
        system_id: string;
        current_wal: string | null;
      }>(
        "SELECT current_setting('archive_command') AS archive_command, coalesce(current_setting('archive_library', true), '') AS archive_library, " +
          '(SELECT system_identifier::text FROM pg_control_system()) AS system_id, ' +
          'CASE WHEN pg_is_in_recovery() THEN NULL ELSE pg_walfile_name(pg_current_wal_lsn()) END AS current_wal',
      );
      return row;
    },
  );
  if (!info) return undefined;
  let location = server.profile.archive?.trim();
  if (!location) {
    if (info.archive_command.trim() === '' && info.archive_library.trim() !== '')
      return refuse(
        `${name} archives with archive_library ${info.archive_library}: set its "archive" location to see the timeline.`,
      );
    const inferred = loadBackend().inferArchive(info.archive_command);
    if (!((inferred.kind === 'local' || inferred.kind === 's3') && inferred.location))
      return refuse(
        `the archive of ${name} is unknown (${inferred.reason}): set its "archive" location (a folder or s3://bucket/prefix).`,
      );
    location = inferred.location;
  }
  const current = info.current_wal ?? undefined;
  return {
    location,
    endpoint: server.profile.archiveEndpoint,
    title: name,
    server: name,
    systemId: info.system_id,
    current,
    serverTimeline: current ? parseInt(current.slice(0, 8), 16) : undefined,
  };
}
