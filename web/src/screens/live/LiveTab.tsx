export function LiveTab() {
  return <p>To do</p>;
}
