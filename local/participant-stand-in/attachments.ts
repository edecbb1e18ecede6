/**
 * Chat attachments as Connect keeps them: StartAttachmentUpload checks the name, type and size against
 * Connect's limits and hands out an upload URL (the local stand-in for a presigned S3 URL, PUT with the
 * headers it names); CompleteAttachmentUpload makes the upload part of the chat; GetAttachment hands out
 * a download URL. The bytes count against the sandbox's memory budget from the start of the upload.
 *
 * The upload and download URLs answer S3's way: XML errors such as `AccessDenied` for an expired URL.
 */
import { randomBytes, randomUUID } from 'node:crypto';
import type { AttachmentItem } from './items.ts';
import { ATTACHMENT_CONTENT_TYPES, type SandboxLimits } from './limits.ts';
import { invalidField, ParticipantServiceError } from './protocol-errors.ts';
import { type Body, optionalInteger, optionalStringList, requiredString } from './request-fields.ts';
import type { StoredBytes } from './stored-bytes.ts';

/** An error of the S3-like upload and download URLs. */
export class ObjectStoreError extends Error {
  readonly status: number;
  readonly code: string;

  constructor(status: number, code: string, message: string) {
    super(message);
    this.name = 'ObjectStoreError';
    this.status = status;
    this.code = code;
  }

  /** S3's XML error body. */
  body(): string {
    return `<?xml version="1.0" encoding="UTF-8"?>\n<Error><Code>${this.code}</Code><Message>${this.message}</Message></Error>`;
  }
}

export interface StoredAttachment {
  readonly id: string;
  readonly name: string;
  readonly contentType: string;
  readonly size: number;
  readonly uploaderId: string;
  data: Buffer | undefined;
  completed: boolean;
}

/** The attachments of one chat. */
export type ChatAttachments = Map<string, StoredAttachment>;

interface UrlGrant {
  readonly attachments: ChatAttachments;
  readonly attachment: StoredAttachment;
  readonly expiresAt: number;
}

/** URLs remembered at once; the oldest go first (they would expire anyway). */
const MAX_URLS = 1_000;

const MIN_URL_EXPIRY_SECONDS = 5;
const MAX_URL_EXPIRY_SECONDS = 300;

export interface AttachmentStoreOptions {
  readonly enabled: boolean;
  readonly limits: Pick<SandboxLimits, 'maxAttachmentBytes' | 'attachmentUrlLifetimeMs'>;
  readonly bytes: StoredBytes;
  /** Frees memory by dropping an ended chat; false when there is none. */
  readonly freeSome: () => boolean;
  /** The server's base URL, e.g. `http://127.0.0.1:3002`. */
  readonly baseUrl: () => string;
}

export class AttachmentStore {
  readonly #options: AttachmentStoreOptions;
  readonly #uploads = new Map<string, UrlGrant>();
  readonly #downloads = new Map<string, UrlGrant>();

  constructor(options: AttachmentStoreOptions) {
    this.#options = options;
  }

  get enabled(): boolean {
    return this.#options.enabled;
  }

  #grant(urls: Map<string, UrlGrant>, grant: Omit<UrlGrant, 'expiresAt'>, lifetimeMs: number): [string, number] {
    const now = Date.now();
    for (const [key, old] of urls) {
      if (old.expiresAt > now && urls.size < MAX_URLS) break;
      urls.delete(key);
    }
    const key = randomBytes(24).toString('base64url');
    const expiresAt = now + lifetimeMs;
    urls.set(key, { ...grant, expiresAt });
    return [key, expiresAt];
  }

  /** StartAttachmentUpload. */
  start(attachments: ChatAttachments, uploaderId: string, body: Body): Record<string, unknown> {
    if (!this.#options.enabled) {
      throw new ParticipantServiceError(
        'ValidationException',
        'Attachments are not enabled for this Amazon Connect instance (set ATTACHMENTS_ENABLED=true)',
      );
    }
    const name = requiredString(body, 'AttachmentName', 256);
    const contentType = requiredString(body, 'ContentType', 255);
    const { maxAttachmentBytes, attachmentUrlLifetimeMs } = this.#options.limits;
    const size = body.AttachmentSizeInBytes;
    if (typeof size !== 'number' || !Number.isInteger(size) || size < 1) {
      throw invalidField('AttachmentSizeInBytes', 'must be a whole number of bytes, at least 1');
    }
    if (size > maxAttachmentBytes) {
      throw invalidField('AttachmentSizeInBytes', `must be at most ${maxAttachmentBytes} bytes (got ${size})`);
    }
    if (!ATTACHMENT_CONTENT_TYPES.has(contentType)) {
      throw invalidField('ContentType', `"${contentType}" is not a file type chat attachments accept`);
    }
    requiredString(body, 'ClientToken', 500);
    if (!this.#options.bytes.tryTake(size, this.#options.freeSome)) {
      throw new ParticipantServiceError(
        'ServiceQuotaExceededException',
        `The sandbox holds at most ${this.#options.bytes.limit} bytes of chats and attachments; end some chats`,
      );
    }
    const attachment: StoredAttachment = {
      id: randomUUID(),
      name,
      contentType,
      size,
      uploaderId,
      data: undefined,
      completed: false,
    };
    attachments.set(attachment.id, attachment);
    const [key, expiresAt] = this.#grant(this.#uploads, { attachments, attachment }, attachmentUrlLifetimeMs);
    return {
      AttachmentId: attachment.id,
      UploadMetadata: {
        Url: `${this.#options.baseUrl()}/attachments/upload?key=${key}`,
        UrlExpiry: new Date(expiresAt).toISOString(),
        HeadersToInclude: { 'Content-Type': contentType },
      },
    };
  }

  /** The attachment an upload URL is for: its size is the most the upload may send. */
  uploadTarget(key: string): StoredAttachment {
    const grant = this.#uploads.get(key);
    if (grant === undefined || grant.expiresAt <= Date.now() || !grant.attachments.has(grant.attachment.id)) {
      throw new ObjectStoreError(403, 'AccessDenied', 'Request has expired or the URL is not valid');
    }
    return grant.attachment;
  }

  /** The PUT to an upload URL. */
  acceptUpload(key: string, contentType: string | undefined, data: Buffer): void {
    const attachment = this.uploadTarget(key);
    if (contentType !== attachment.contentType) {
      throw new ObjectStoreError(
        403,
        'SignatureDoesNotMatch',
        `Content-Type must be ${attachment.contentType}, as HeadersToInclude says`,
      );
    }
    if (data.length !== attachment.size) {
      throw new ObjectStoreError(
        400,
        'IncompleteBody',
        `The upload has ${data.length} bytes; StartAttachmentUpload announced ${attachment.size}`,
      );
    }
    attachment.data = data;
    this.#uploads.delete(key);
  }

  /** CompleteAttachmentUpload: the item the chat gets. */
  complete(attachments: ChatAttachments, uploaderId: string, body: Body): AttachmentItem {
    const ids = optionalStringList(body, 'AttachmentIds', 1);
    if (ids === undefined || ids.length !== 1) throw invalidField('AttachmentIds', 'must hold exactly one id');
    requiredString(body, 'ClientToken', 500);
    const attachment = attachments.get(ids[0]!);
    if (attachment === undefined || attachment.uploaderId !== uploaderId) {
      throw invalidField('AttachmentIds', 'names no upload this participant started');
    }
    if (attachment.completed) throw new ParticipantServiceError('ConflictException', 'The upload is already complete');
    if (attachment.data === undefined) {
      throw new ParticipantServiceError('ConflictException', 'Nothing has been uploaded to the upload URL yet');
    }
    attachment.completed = true;
    return {
      AttachmentId: attachment.id,
      AttachmentName: attachment.name,
      ContentType: attachment.contentType,
      Status: 'APPROVED',
    };
  }

  /** GetAttachment, looking in the chat's own attachments, then those of the chats it continues. */
  download(chain: readonly ChatAttachments[], body: Body): Record<string, unknown> {
    const id = requiredString(body, 'AttachmentId', 256);
    const expirySeconds =
      optionalInteger(body, 'UrlExpiryInSeconds', MIN_URL_EXPIRY_SECONDS, MAX_URL_EXPIRY_SECONDS) ??
      MAX_URL_EXPIRY_SECONDS;
    for (const attachments of chain) {
      const attachment = attachments.get(id);
      if (attachment?.completed) {
        const [key, expiresAt] = this.#grant(this.#downloads, { attachments, attachment }, expirySeconds * 1000);
        return {
          Url: `${this.#options.baseUrl()}/attachments/download?key=${key}`,
          UrlExpiry: new Date(expiresAt).toISOString(),
          AttachmentSizeInBytes: attachment.size,
        };
      }
    }
    throw new ParticipantServiceError('ResourceNotFoundException', `No attachment ${id} in this chat`);
  }

  /** The GET of a download URL. */
  fetch(key: string): StoredAttachment & { data: Buffer } {
    const grant = this.#downloads.get(key);
    const { attachment } = grant ?? {};
    if (
      grant === undefined ||
      grant.expiresAt <= Date.now() ||
      !grant.attachments.has(grant.attachment.id) ||
      attachment?.data === undefined
    ) {
      throw new ObjectStoreError(403, 'AccessDenied', 'Request has expired or the URL is not valid');
    }
    return attachment as StoredAttachment & { data: Buffer };
  }

  /** Gives back the memory of a chat's attachments, when the chat is dropped. */
  drop(attachments: ChatAttachments): void {
    for (const attachment of attachments.values()) this.#options.bytes.release(attachment.size);
    attachments.clear();
  }
}
