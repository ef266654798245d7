/**
 * "Something changed, after it committed": one event per audit row. The audit row is the outbox:
 * it is written in the transaction of the change, a trigger NOTIFYs other processes when it
 * commits (migration 002), and the committing process publishes it locally at once.
 */
export interface ChangeEvent {
  /** the audit event's id (`evt_…`): the same event arriving twice is recognised by it */
  id: string;
  organizationId: string;
  action: string;
  resourceType: string;
  resourceId: string;
}
