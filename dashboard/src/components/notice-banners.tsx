import type { NoticeDto, NoticesDto } from '@contracts/notices.contract';
import { useState } from 'react';
import { api } from '../api/client';
import { useApi } from '../lib/use-api';
import { Mrkdwn } from './mrkdwn';

const DISMISSED = 'lore.dismissedNotices';
const CLASS_OF: Record<NoticeDto['level'], string> = {
  error: 'notice-error',
  warning: 'notice-warn',
  maintenance: 'notice-warn',
  info: 'notice-info',
};

function readDismissed(): string[] {
  try {
    const v = JSON.parse(window.localStorage.getItem(DISMISSED) ?? '[]');
    return Array.isArray(v) ? v.filter((x): x is string => typeof x === 'string') : [];
  } catch {
    return [];
  }
}

/** One banner: title, text (Markdown for announcements), its link, and Dismiss when it may be dismissed. */
export function NoticeBanner({ notice, onDismiss }: { notice: NoticeDto; onDismiss?: () => void }) {
  return (
    <section
      className={`notice banner ${CLASS_OF[notice.level]}`}
      role={notice.level === 'error' ? 'alert' : 'status'}
      aria-label={notice.title}
      data-notice={notice.id}
    >
      <div className="banner-body">
        <strong>{notice.title}</strong>
        <div>
          <Mrkdwn text={notice.text} citations={false} />
        </div>
        {notice.link ? (
          <a className="btn btn-primary banner-link" href={notice.link.href}>
            {notice.link.label}
          </a>
        ) : null}
      </div>
      {notice.dismissible && onDismiss ? (
        <button type="button" className="btn btn-ghost" onClick={onDismiss}>
          Dismiss
        </button>
      ) : null}
    </section>
  );
}

/**
 * The workspace's notices above every page: a broken installation (reinstall), quota warnings, operator
 * announcements. Dismissals are remembered in this browser by notice id.
 */
export function NoticeBanners({ workspaceId }: { workspaceId: string }) {
  const { data } = useApi(`notices:${workspaceId}`, () => api.get<NoticesDto>('/api/notices'));
  const [dismissed, setDismissed] = useState(readDismissed);
  const dismiss = (id: string) => {
    const next = [...dismissed.filter((d) => d !== id), id].slice(-100);
    window.localStorage.setItem(DISMISSED, JSON.stringify(next));
    setDismissed(next);
  };
  const visible = (data?.notices ?? []).filter((n) => !(n.dismissible && dismissed.includes(n.id)));
  if (visible.length === 0) return null;
  return (
    <div className="banners">
      {visible.map((n) => (
        <NoticeBanner key={n.id} notice={n} onDismiss={() => dismiss(n.id)} />
      ))}
    </div>
  );
}
