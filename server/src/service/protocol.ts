/**
 * The LSP shapes the service returns, declared here so that the pure service
 * does not depend on vscode-languageserver. They are structurally the
 * protocol's own types; the handlers pass them through unchanged.
 */
import type { Position, Range } from './model';

export type { Position, Range } from './model';

export interface MarkupContent {
  kind: 'markdown' | 'plaintext';
  value: string;
}

/** LSP CompletionItemKind numbers used here. */
export const ItemKind = { Text: 1, Value: 12, Property: 10, Module: 9, Class: 7, Enum: 13, EnumMember: 20, Snippet: 15, Reference: 18, Keyword: 14 } as const;

export interface CompletionItem {
  label: string;
  /** LSP 3.17: shown with the label, `detail` right after it and `description` apart, for every item at once. */
  labelDetails?: { detail?: string; description?: string };
  kind?: number;
  detail?: string;
  documentation?: MarkupContent;
  sortText?: string;
  /** The item the client selects first (one per list). */
  preselect?: boolean;
  filterText?: string;
  insertText?: string;
  /** 1 = plain text, 2 = snippet. */
  insertTextFormat?: 1 | 2;
  textEdit?: { range: Range; newText: string };
  /** [1] = deprecated. */
  tags?: number[];
  command?: { title: string; command: string };
}

export interface CompletionList {
  isIncomplete: boolean;
  items: CompletionItem[];
}

export interface Hover {
  contents: MarkupContent;
  range?: Range;
}

export interface Location {
  uri: string;
  range: Range;
}

/** LSP SymbolKind numbers used here. */
export const SymbolKind = { Module: 2, Namespace: 3, Class: 5, Field: 8, Object: 19, Array: 18, Key: 20 } as const;

export interface DocumentSymbol {
  name: string;
  detail?: string;
  kind: number;
  range: Range;
  selectionRange: Range;
  children?: DocumentSymbol[];
}

export interface FoldingRange {
  startLine: number;
  endLine: number;
  kind?: string;
}

export function pos(line: number, character: number): Position {
  return { line, character };
}
