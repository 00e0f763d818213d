// The Servers view: maps the plain tree model (serverTreeModel.ts) onto TreeItems. Server rows
// are stable objects (one per name) so a single row can be refreshed when its result arrives.
import * as vscode from 'vscode';

import type { ServerChecks } from './serverChecks';
import { serverNode, type TreeIcon, type TreeNode } from './serverTreeModel';

export const SERVERS_VIEW = 'pgPitr.servers';

/** A server row; what it shows is rebuilt from the server's entry each time it is asked for. */
export interface ServerElement {
  kind: 'server';
  name: string;
}

export type ServersElement = ServerElement | TreeNode;

function isServer(e: ServersElement): e is ServerElement {
  return (e as ServerElement).kind === 'server';
}

export class ServersTreeProvider implements vscode.TreeDataProvider<ServersElement>, vscode.Disposable {
  private readonly changed = new vscode.EventEmitter<ServersElement | undefined>();
  readonly onDidChangeTreeData = this.changed.event;
  private readonly rows = new Map<string, ServerElement>();
  private readonly parents = new Map<string, ServersElement>();
  private readonly subscription: vscode.Disposable;

  constructor(private readonly checks: ServerChecks) {
    this.subscription = checks.onDidChange((name) => {
      const row = name === undefined ? undefined : this.rows.get(name);
      this.changed.fire(row);
    });
  }

  /** The row object of a server, for TreeView.reveal. */
  row(name: string): ServerElement {
    let r = this.rows.get(name);
    if (!r) {
      r = { kind: 'server', name };
      this.rows.set(name, r);
    }
    return r;
  }

  /** The model of a server's row, with its sections (undefined when no such server). */
  model(name: string): TreeNode | undefined {
    const entry = this.checks.get(name);
    return entry ? serverNode(entry) : undefined;
  }

  getChildren(element?: ServersElement): ServersElement[] {
    if (!element) {
      const names = this.checks.list().map((e) => e.profile.name);
      for (const n of [...this.rows.keys()]) if (!names.includes(n)) this.rows.delete(n);
      return names.map((n) => this.row(n));
    }
    const children = isServer(element) ? (this.model(element.name)?.children ?? []) : element.children;
    for (const c of children) this.parents.set(c.id, element);
    return children;
  }

  getParent(element: ServersElement): ServersElement | undefined {
    return isServer(element) ? undefined : this.parents.get(element.id);
  }

  getTreeItem(element: ServersElement): vscode.TreeItem {
    const node = isServer(element) ? this.model(element.name) : element;
    if (!node) return new vscode.TreeItem(isServer(element) ? element.name : '?');
    const state = {
      expanded: vscode.TreeItemCollapsibleState.Expanded,
      collapsed: vscode.TreeItemCollapsibleState.Collapsed,
      none: vscode.TreeItemCollapsibleState.None,
    }[node.state];
    const item = new vscode.TreeItem(node.label, state);
    item.id = node.id;
    item.description = node.description;
    item.tooltip = node.tooltip;
    item.iconPath = themeIcon(node.icon);
    item.contextValue = node.contextValue;
    item.accessibilityInformation = { label: node.description ? `${node.label}, ${node.description}` : node.label };
    return item;
  }

  dispose(): void {
    this.subscription.dispose();
    this.changed.dispose();
  }
}

function themeIcon(icon: TreeIcon | undefined): vscode.ThemeIcon | undefined {
  if (!icon) return undefined;
  return icon.color ? new vscode.ThemeIcon(icon.id, new vscode.ThemeColor(icon.color)) : new vscode.ThemeIcon(icon.id);
}
