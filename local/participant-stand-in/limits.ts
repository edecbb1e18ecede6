/**
 * The sandbox's limits: Connect's own where the service has them (attachment size and types, the five
 * minutes a customer has to connect, token and URL lifetimes), and caps of its own that keep a long
 * `npm start` within bounded memory. Each is an option of `startParticipantStandIn`, so tests can shrink
 * time and space.
 */

export interface SandboxLimits {
  /** Chats held at once, live and ended; the oldest ended ones are dropped first. */
  readonly maxChats: number;
  /** How long an ended chat stays (its transcript for persistent chats, its tokens answering 403). */
  readonly endedChatRetentionMs: number;
  /** Transcript items and attachment bytes over all chats. */
  readonly maxStoredBytes: number;
  /** Transcript items in one chat. */
  readonly maxItemsPerChat: number;
  /** Open WebSockets over all chats. */
  readonly maxSockets: number;
  /** Open WebSockets on one connection (chatjs opens a second one for a moment when it renews). */
  readonly maxSocketsPerConnection: number;
  /** Connection tokens kept per participant; older ones stop working. */
  readonly maxConnectionsPerParticipant: number;
  /** Request bodies of the JSON operations. */
  readonly maxRequestBytes: number;
  /** WebSocket frames from a client. */
  readonly maxFrameBytes: number;
  /** Frames a socket may send a second, and in a burst, before it is closed. */
  readonly framesPerSecond: number;
  readonly frameBurst: number;
  /** Unreadable or unknown frames a socket may send before it is closed. */
  readonly maxBadFrames: number;
  /** A socket silent this long (chatjs sends a heartbeat every 10 s) is closed. */
  readonly socketIdleMs: number;
  /** How long a customer has after the chat starts to call CreateParticipantConnection. */
  readonly connectWindowMs: number;
  /** How long a WebSocket URL may be used to connect. */
  readonly socketUrlLifetimeMs: number;
  /** How long a connection token lasts. */
  readonly connectionTokenLifetimeMs: number;
  /** How long a minute of ChatDurationInMinutes lasts (tests shorten it). */
  readonly minuteMs: number;
  /** Largest attachment, in bytes. */
  readonly maxAttachmentBytes: number;
  /** How long an upload or download URL works. */
  readonly attachmentUrlLifetimeMs: number;
}

export const DEFAULT_LIMITS: SandboxLimits = {
  maxChats: 1_000,
  endedChatRetentionMs: 30 * 60_000,
  maxStoredBytes: 64 * 1024 * 1024,
  maxItemsPerChat: 2_000,
  maxSockets: 256,
  maxSocketsPerConnection: 4,
  maxConnectionsPerParticipant: 16,
  maxRequestBytes: 64 * 1024,
  maxFrameBytes: 16 * 1024,
  framesPerSecond: 20,
  frameBurst: 40,
  maxBadFrames: 10,
  socketIdleMs: 45_000,
  connectWindowMs: 5 * 60_000,
  socketUrlLifetimeMs: 100_000,
  connectionTokenLifetimeMs: 24 * 60 * 60_000,
  minuteMs: 60_000,
  maxAttachmentBytes: 20 * 1024 * 1024,
  attachmentUrlLifetimeMs: 5 * 60_000,
};

/**
 * The attachment types Amazon Connect chat accepts (.csv .doc .docx .heic .jfif .jpeg .jpg .mov .mp4 .pdf
 * .png .ppt .pptx .rtf .txt .wav .xls .xlsx), as the MIME types browsers give those files.
 */
export const ATTACHMENT_CONTENT_TYPES: ReadonlySet<string> = new Set([
  'text/csv',
  'application/msword',
  'application/vnd.openxmlformats-officedocument.wordprocessingml.document',
  'image/heic',
  'image/jpeg',
  'video/quicktime',
  'video/mp4',
  'application/pdf',
  'image/png',
  'application/vnd.ms-powerpoint',
  'application/vnd.openxmlformats-officedocument.presentationml.presentation',
  'application/rtf',
  'text/rtf',
  'text/plain',
  'audio/wav',
  'audio/x-wav',
  'audio/vnd.wave',
  'application/vnd.ms-excel',
  'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
]);
