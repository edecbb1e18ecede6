/**
 * Transcript items, the Participant Service's `Item` shape: what GetTranscript returns and what the
 * WebSocket pushes (as the JSON string in an `aws/chat` frame's `content`). Every item carries `ContactId`
 * and `InitialContactId`: chatjs drops items without them.
 */

export type ParticipantRole = 'CUSTOMER' | 'AGENT' | 'SYSTEM';

export type ItemType = 'MESSAGE' | 'EVENT' | 'ATTACHMENT' | 'MESSAGEMETADATA';

export interface AttachmentItem {
  readonly AttachmentId: string;
  readonly AttachmentName: string;
  readonly ContentType: string;
  readonly Status: 'APPROVED' | 'REJECTED' | 'IN_PROGRESS';
}

export interface Receipt {
  readonly DeliveredTimestamp?: string;
  readonly ReadTimestamp?: string;
  /** Who delivered or read the message: chatjs shows a receipt only to the other participants. */
  readonly RecipientParticipantId: string;
}

export interface Item {
  readonly Id: string;
  readonly AbsoluteTime: string;
  readonly Type: ItemType;
  readonly ContentType?: string;
  readonly Content?: string;
  readonly ParticipantId?: string;
  readonly DisplayName?: string;
  readonly ParticipantRole?: ParticipantRole;
  readonly Attachments?: readonly AttachmentItem[];
  readonly MessageMetadata?: { readonly MessageId: string; readonly Receipts: readonly Receipt[] };
  readonly ContactId: string;
  readonly InitialContactId: string;
}

/** Who an item is from: a participant of the chat, or the system. */
export interface ItemSender {
  readonly ParticipantId: string;
  readonly DisplayName: string;
  readonly ParticipantRole: ParticipantRole;
}

export const SYSTEM_SENDER: ItemSender = {
  ParticipantId: 'SYSTEM',
  DisplayName: 'SYSTEM_MESSAGE',
  ParticipantRole: 'SYSTEM',
};

/** Typing events are pushed but not kept; everything else is part of the transcript. */
export function isKept(item: Item): boolean {
  return !(item.Type === 'EVENT' && item.ContentType?.endsWith('.event.typing'));
}
