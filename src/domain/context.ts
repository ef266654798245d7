/** Who is acting and for which request: passed by routes (and the CLI) into every workflow. */
export interface ActorContext {
  organizationId: string;
  /** the API key acting; null for the operator's CLI */
  keyId: string | null;
  requestId: string;
  now: Date;
}
