export function AgentsList() {
  return <section><h1>AgentsList</h1></section>;
}
