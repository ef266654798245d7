export function SettingsTab() {
  return <p>To do</p>;
}
