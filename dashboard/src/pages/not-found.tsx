import { Empty } from '../components/states';
import { Link } from '../lib/router';

/** An unknown dashboard address. */
export function NotFoundPage() {
  return (
    <Empty title="This page does not exist">
      <Link to="/">Go to the overview</Link>
    </Empty>
  );
}
