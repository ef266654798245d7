export function VersionsTab() {
  return <p>To do</p>;
}
