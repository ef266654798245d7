export function ApiKeys() {
  return <section><h1>ApiKeys</h1></section>;
}
