import { useOpenIssuing } from '../context.js';

/** Joins class names, skipping empty ones. */
export function cx(...names: Array<string | false | null | undefined>): string {
  return names.filter(Boolean).join(' ');
}

/** An error announced to assistive technology, with an optional retry button. */
export function ErrorMessage({ error, onRetry }: { error: Error; onRetry?: () => void }) {
  const { t } = useOpenIssuing();
  return (
    <div role="alert" className="oi-error">
      {t('error.generic', { detail: error.message })}
      {onRetry ? (
        <button type="button" className="oi-button oi-button--link" onClick={onRetry}>
          {t('error.retry')}
        </button>
      ) : null}
    </div>
  );
}
