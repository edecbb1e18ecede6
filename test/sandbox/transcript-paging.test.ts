/**
 * GetTranscript's paging rules over a chat's items: start positions, scan directions, sort orders, page
 * sizes and NextTokens, including those a client could forge or misuse.
 */
import { describe, expect, test } from '@jest/globals';
import type { Item } from '../../local/participant-stand-in/items.ts';
import { ParticipantServiceError } from '../../local/participant-stand-in/protocol-errors.ts';
import { readTranscriptQuery, transcriptPage } from '../../local/participant-stand-in/transcript.ts';

/** Ten messages, one a second from 12:00:00. */
const ITEMS: Item[] = Array.from({ length: 10 }, (_, i) => ({
  Id: `m${i}`,
  AbsoluteTime: new Date(Date.UTC(2026, 0, 31, 12, 0, i)).toISOString(),
  Type: 'MESSAGE',
  ContentType: 'text/plain',
  Content: `message ${i}`,
  ContactId: 'c',
  InitialContactId: 'c',
}));

function page(body: Record<string, unknown>, contactId = 'c') {
  const result = transcriptPage(ITEMS, readTranscriptQuery(body), contactId);
  return { ids: result.Transcript.map((item) => item.Id), next: result.NextToken };
}

function refusal(run: () => unknown): string {
  try {
    run();
  } catch (error) {
    if (error instanceof ParticipantServiceError) return `${error.errorName}: ${error.message}`;
    throw error;
  }
  throw new Error('expected a ValidationException');
}

describe('start positions and directions', () => {
  test.each([
    ['the newest items, scanning back (the default)', { MaxResults: 3 }, ['m7', 'm8', 'm9']],
    ['the oldest items, scanning forward', { MaxResults: 3, ScanDirection: 'FORWARD' }, ['m0', 'm1', 'm2']],
    ['newest first', { MaxResults: 3, SortOrder: 'DESCENDING' }, ['m9', 'm8', 'm7']],
    ['back from an item, the item included', { MaxResults: 2, StartPosition: { Id: 'm4' } }, ['m3', 'm4']],
    ['forward from an item', { MaxResults: 2, ScanDirection: 'FORWARD', StartPosition: { Id: 'm4' } }, ['m4', 'm5']],
    ['back from the third most recent', { MaxResults: 2, StartPosition: { MostRecent: 2 } }, ['m6', 'm7']],
    [
      'forward from a time',
      { MaxResults: 2, ScanDirection: 'FORWARD', StartPosition: { AbsoluteTime: '2026-01-31T12:00:05.500Z' } },
      ['m6', 'm7'],
    ],
    ['back from a time', { MaxResults: 2, StartPosition: { AbsoluteTime: '2026-01-31T12:00:05.500Z' } }, ['m4', 'm5']],
    ['nothing before the first item', { StartPosition: { AbsoluteTime: '2025-01-01T00:00:00Z' } }, []],
    ['a page of none', { MaxResults: 0 }, []],
  ])('%s', (_name, body, ids) => {
    expect(page(body).ids).toEqual(ids);
  });
});

describe('NextToken', () => {
  test.each([
    ['BACKWARD', ['m6', 'm7', 'm8', 'm9'], ['m2', 'm3', 'm4', 'm5'], ['m0', 'm1']],
    ['FORWARD', ['m0', 'm1', 'm2', 'm3'], ['m4', 'm5', 'm6', 'm7'], ['m8', 'm9']],
  ])('scanning %s, the pages cover every item once and the last has no token', (direction, ...expected) => {
    // Act
    const pages: string[][] = [];
    let next: string | undefined;
    do {
      const result = page({ MaxResults: 4, ScanDirection: direction, ...(next && { NextToken: next }) });
      pages.push(result.ids);
      next = result.next;
    } while (next !== undefined);

    // Assert
    expect(pages).toEqual(expected);
  });

  test('a token of another chat, of the other direction, or made up is refused', () => {
    // Arrange
    const { next } = page({ MaxResults: 4 });

    // Act + Assert
    expect(refusal(() => page({ NextToken: next }, 'other'))).toMatch(/^ValidationException: NextToken/);
    expect(refusal(() => page({ NextToken: next, ScanDirection: 'FORWARD' }))).toMatch(
      /^ValidationException: NextToken/,
    );
    expect(refusal(() => page({ NextToken: 'made-up' }))).toMatch(/^ValidationException: NextToken/);
    const beyond = Buffer.from(JSON.stringify({ c: 'c', d: 'BACKWARD', i: 99 })).toString('base64url');
    expect(refusal(() => page({ NextToken: beyond }))).toMatch(/^ValidationException: NextToken/);
  });
});

describe('the request is checked field by field', () => {
  test.each([
    [{ MaxResults: 101 }, /MaxResults must be a whole number from 0 to 100/],
    [{ MaxResults: '5' }, /MaxResults must be a whole number/],
    [{ ScanDirection: 'SIDEWAYS' }, /ScanDirection must be one of FORWARD, BACKWARD/],
    [{ SortOrder: 'RANDOM' }, /SortOrder must be one of ASCENDING, DESCENDING/],
    [{ StartPosition: 'm1' }, /StartPosition must be an object/],
    [{ StartPosition: { Id: 'm1', MostRecent: 0 } }, /StartPosition may hold only one of/],
    [{ StartPosition: { MostRecent: 101 } }, /StartPosition\.MostRecent must be a whole number from 0 to 100/],
    [{ StartPosition: { AbsoluteTime: 'yesterday' } }, /StartPosition\.AbsoluteTime must be an ISO 8601 time/],
    [{ StartPosition: { Id: 'nope' } }, /StartPosition\.Id is not an item of this chat/],
  ])('%j', (body, message) => {
    expect(refusal(() => page(body))).toMatch(message);
  });
});
