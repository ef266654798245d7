export function HoursTab() {
  return <p>To do</p>;
}
