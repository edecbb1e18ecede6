/**
 * GetTranscript's paging over a chat's items (oldest first): a start position (an item's Id, a time, or
 * the n-th most recent item; by default the newest item scanning BACKWARD, the oldest scanning FORWARD),
 * a scan direction, a page size and a sort order for the page. The NextToken names the next position and
 * the contact and direction it belongs to; items are only ever appended, so positions stay valid.
 */
import type { Item } from './items.ts';
import { invalidField } from './protocol-errors.ts';
import { type Body, optionalChoice, optionalInteger, optionalObject, optionalString } from './request-fields.ts';

export type ScanDirection = 'FORWARD' | 'BACKWARD';
export type SortOrder = 'ASCENDING' | 'DESCENDING';

export interface TranscriptQuery {
  readonly maxResults: number;
  readonly scanDirection: ScanDirection;
  readonly sortOrder: SortOrder;
  readonly nextToken: string | undefined;
  readonly startPosition:
    | { readonly id: string }
    | { readonly absoluteTime: string }
    | { readonly mostRecent: number }
    | undefined;
  /** A contact of the chat's chain whose items alone are wanted. */
  readonly contactId: string | undefined;
}

export interface TranscriptPage {
  readonly Transcript: readonly Item[];
  readonly NextToken?: string;
}

/** chatjs's own defaults, which it always sends. */
const DEFAULT_MAX_RESULTS = 15;
const ISO_TIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d{1,9})?(Z|[+-]\d{2}:\d{2})$/;

/** Reads GetTranscript's body by the API's rules. */
export function readTranscriptQuery(body: Body): TranscriptQuery {
  const start = optionalObject(body, 'StartPosition');
  let startPosition: TranscriptQuery['startPosition'];
  if (start !== undefined) {
    const id = optionalString(start, 'Id', 256, 'StartPosition.Id');
    const absoluteTime = optionalString(start, 'AbsoluteTime', 100, 'StartPosition.AbsoluteTime');
    const mostRecent = optionalInteger(start, 'MostRecent', 0, 100, 'StartPosition.MostRecent');
    const given = [id, absoluteTime, mostRecent].filter((value) => value !== undefined).length;
    if (given > 1) throw invalidField('StartPosition', 'may hold only one of Id, AbsoluteTime and MostRecent');
    if (absoluteTime !== undefined && (!ISO_TIME.test(absoluteTime) || Number.isNaN(Date.parse(absoluteTime)))) {
      throw invalidField('StartPosition.AbsoluteTime', 'must be an ISO 8601 time such as 2026-01-31T12:00:00.000Z');
    }
    startPosition =
      id !== undefined
        ? { id }
        : absoluteTime !== undefined
          ? { absoluteTime }
          : mostRecent !== undefined
            ? { mostRecent }
            : undefined;
  }
  return {
    maxResults: optionalInteger(body, 'MaxResults', 0, 100) ?? DEFAULT_MAX_RESULTS,
    scanDirection: optionalChoice(body, 'ScanDirection', ['FORWARD', 'BACKWARD'] as const) ?? 'BACKWARD',
    sortOrder: optionalChoice(body, 'SortOrder', ['ASCENDING', 'DESCENDING'] as const) ?? 'ASCENDING',
    nextToken: optionalString(body, 'NextToken', 1_000),
    startPosition,
    contactId: optionalString(body, 'ContactId', 256),
  };
}

interface Cursor {
  readonly c: string;
  readonly d: ScanDirection;
  readonly i: number;
}

function encodeToken(cursor: Cursor): string {
  return Buffer.from(JSON.stringify(cursor)).toString('base64url');
}

function decodeToken(token: string, contactId: string, direction: ScanDirection, length: number): number {
  let cursor: Partial<Cursor> | undefined;
  try {
    cursor = JSON.parse(Buffer.from(token, 'base64url').toString('utf8')) as Partial<Cursor>;
  } catch {
    cursor = undefined;
  }
  if (
    cursor === undefined ||
    cursor === null ||
    cursor.c !== contactId ||
    cursor.d !== direction ||
    typeof cursor.i !== 'number' ||
    !Number.isInteger(cursor.i) ||
    cursor.i < 0 ||
    cursor.i > length
  ) {
    throw invalidField('NextToken', 'is not one this chat gave for this ScanDirection');
  }
  return cursor.i;
}

/** Where a scan starts: the index of its first item (may be -1 or `items.length`: nothing to return). */
function startIndex(items: readonly Item[], query: TranscriptQuery): number {
  const { startPosition, scanDirection } = query;
  const forward = scanDirection === 'FORWARD';
  if (startPosition === undefined) return forward ? 0 : items.length - 1;
  if ('id' in startPosition) {
    const index = items.findIndex((item) => item.Id === startPosition.id);
    if (index === -1) throw invalidField('StartPosition.Id', 'is not an item of this chat');
    return index;
  }
  if ('mostRecent' in startPosition) return items.length - 1 - startPosition.mostRecent;
  const time = Date.parse(startPosition.absoluteTime);
  if (forward) {
    const index = items.findIndex((item) => Date.parse(item.AbsoluteTime) >= time);
    return index === -1 ? items.length : index;
  }
  return items.findLastIndex((item) => Date.parse(item.AbsoluteTime) <= time);
}

/** One page of `items` (a chat's transcript, oldest first) for `query`; `pageOf` names the chat. */
export function transcriptPage(items: readonly Item[], query: TranscriptQuery, pageOf: string): TranscriptPage {
  const forward = query.scanDirection === 'FORWARD';
  const from =
    query.nextToken !== undefined
      ? decodeToken(query.nextToken, pageOf, query.scanDirection, items.length)
      : startIndex(items, query);
  let page: Item[];
  let next: number | undefined;
  if (forward) {
    const start = Math.max(0, from);
    page = items.slice(start, start + query.maxResults);
    next = start + query.maxResults < items.length && query.maxResults > 0 ? start + query.maxResults : undefined;
  } else {
    const end = Math.min(from, items.length - 1);
    const start = Math.max(0, end - query.maxResults + 1);
    page = end < 0 || query.maxResults === 0 ? [] : items.slice(start, end + 1);
    next = end >= 0 && start > 0 && query.maxResults > 0 ? start - 1 : undefined;
  }
  // Pages are taken oldest first; DESCENDING lists the newest first.
  if (query.sortOrder === 'DESCENDING') page.reverse();
  return {
    Transcript: page,
    ...(next !== undefined && { NextToken: encodeToken({ c: pageOf, d: query.scanDirection, i: next }) }),
  };
}
