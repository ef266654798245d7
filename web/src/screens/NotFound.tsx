import { Link } from 'react-router';

export function NotFound() {
  return (
    <section>
      <h1>Page not found</h1>
      <p>
        There is nothing here. <Link to="/agents">Back to the agents</Link>.
      </p>
    </section>
  );
}
