export function AuditTrail() {
  return <section><h1>AuditTrail</h1></section>;
}
