import { ConfirmDialog } from '../components/widgets';
import type { StatusChange } from './operator-tenants';

/** Asks before suspending (members get no answers) or resuming a tenant; `change` null keeps it closed. */
export function StatusDialog({
  change,
  onCancel,
  onConfirm,
}: {
  change: StatusChange | null;
  onCancel: () => void;
  onConfirm: () => void;
}) {
  const suspend = change?.action === 'suspend';
  return (
    <ConfirmDialog
      open={change !== null}
      title={`${suspend ? 'Suspend' : 'Resume'} ${change?.tenant.name ?? ''}?`}
      confirmLabel={suspend ? 'Suspend' : 'Resume'}
      danger={suspend}
      onCancel={onCancel}
      onConfirm={onConfirm}
    >
      <p>
        {suspend
          ? 'Its members get no answers and its admins cannot open the dashboard until it is resumed. Nothing is deleted.'
          : 'Lore answers its members again.'}
      </p>
    </ConfirmDialog>
  );
}
