/**
 * The HTTP contract of the start-chat endpoint as TypeScript types: what a widget posts and what it gets
 * back. One copy, imported by the browser client (client/) and by the handler (lambda/). Types only, so it
 * adds nothing to either bundle. test/client/contract-types.test.ts checks that the handler's request schema
 * and `StartChatRequest` agree field by field.
 *
 * Field names are StartChatContact's own. Whether a field is accepted can also depend on the deployment
 * (README, "The HTTP contract"): `PersistentChat`, `RelatedContactId`, `CustomerId` and `SegmentAttributes`
 * only where the deployer enabled them, `Attributes` only with keys the deployer allows, and the display
 * name may be left out only where the deployer set a default one.
 */

/** Content types of `InitialMessage`. */
export type InitialMessageContentType =
  | 'text/plain'
  | 'text/markdown'
  | 'application/json'
  | 'application/vnd.amazonaws.connect.message.interactive.response';

/** Content types a chat may support (`SupportedMessagingContentTypes`). */
export type MessagingContentType =
  | 'text/plain'
  | 'text/markdown'
  | 'application/json'
  | 'application/vnd.amazonaws.connect.message.interactive'
  | 'application/vnd.amazonaws.connect.message.interactive.response';

/** A value of `SegmentAttributes`: a string or an integer. */
export type SegmentAttributeValue = { readonly ValueString: string } | { readonly ValueInteger: number };

/** The body of `POST /chat`. */
export interface StartChatRequest {
  /**
   * `DisplayName`: 1-256 characters after trimming, no control characters. Required, unless the deployer
   * set a default display name.
   */
  readonly ParticipantDetails?: { readonly DisplayName?: string };
  /** String values; keys `^[A-Za-z0-9_-]+$` on the deployer's allow-list. A JSON string of the object is also accepted. */
  readonly Attributes?: Readonly<Record<string, string>> | string;
  readonly InitialMessage?: { readonly ContentType: InitialMessageContentType; readonly Content: string };
  /** Whole minutes, 60 to the deployer's maximum. */
  readonly ChatDurationInMinutes?: number;
  /** Must include `text/plain`; no repeats. */
  readonly SupportedMessagingContentTypes?: readonly MessagingContentType[];
  readonly PersistentChat?: {
    readonly RehydrationType: 'ENTIRE_PAST_SESSION' | 'FROM_SEGMENT';
    readonly SourceContactId: string;
  };
  readonly RelatedContactId?: string;
  readonly CustomerId?: string;
  readonly SegmentAttributes?: Readonly<Record<string, SegmentAttributeValue>>;
  readonly ParticipantConfiguration?: { readonly ResponseMode?: 'INCREMENTAL' | 'COMPLETE' };
  readonly DisconnectOnCustomerExit?: readonly ['AGENT'];
  /** The idempotency token (1-500 characters); the client sends it as `Idempotency-Key` as well. */
  readonly ClientToken?: string;
  /** Tolerated when equal to the endpoint's own instance; never needed. */
  readonly InstanceId?: string;
  /** Tolerated when equal to the endpoint's own instance (the iOS sample's name); never needed. */
  readonly ConnectInstanceId?: string;
  /** A flow on the deployer's allow-list; the default flow when left out. */
  readonly ContactFlowId?: string;
  /** Tolerated and ignored (ChatInterface sends it). */
  readonly Username?: unknown;
}

/** What StartChatContact returned: what amazon-connect-chatjs takes as `chatDetails`. */
export interface StartChatResult {
  readonly ContactId: string;
  readonly ParticipantId: string;
  readonly ParticipantToken: string;
  /** Set for a persistent chat: the contact it continues. */
  readonly ContinuedFromContactId?: string;
}

/** Feature flags the hosted communications widget reads from `data.featurePermissions`. */
export interface FeaturePermissions {
  readonly MESSAGING_MARKDOWN: boolean;
  readonly ATTACHMENTS: boolean;
}

/** `data` of a successful answer: what ChatInterface, the mobile samples and `customStartChat` read. */
export interface StartChatData {
  readonly startChatResult: StartChatResult;
  readonly featurePermissions: FeaturePermissions;
}

/** One problem with the request: the field's path and what is allowed there. */
export interface FieldIssue {
  readonly field: string;
  readonly message: string;
}

/** `error` of a failed answer. */
export interface ErrorBody {
  /** A stable code, such as `VALIDATION_ERROR` or `THROTTLED` (README, "The HTTP contract"). */
  readonly code: string;
  readonly message: string;
  /** Every problem with the request, for `VALIDATION_ERROR`. */
  readonly details?: readonly FieldIssue[];
  /** API Gateway's request id, also in its access log. */
  readonly requestId: string | undefined;
}

/** The answer's body: `200` with `data`, any other status with `error`. */
export type StartChatResponse =
  | { readonly success: true; readonly data: StartChatData }
  | { readonly success: false; readonly error: ErrorBody };
