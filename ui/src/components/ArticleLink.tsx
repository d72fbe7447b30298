import { api, errorMessage } from "../api";
import { useToast } from "../state/toasts";

/**
 * A ticket's related help article. The webview never navigates away: Rust opens the
 * ticket's own article in the system browser, web addresses only (the href is there
 * for what a link announces and shows).
 */
export function ArticleLink({ ticketKey, href, label }: { ticketKey: string; href: string; label: string }) {
  const toast = useToast();
  return (
    <a
      href={href}
      className="related-article-link"
      rel="noreferrer noopener"
      onClick={(e) => {
        e.preventDefault();
        api.openRelatedArticle(ticketKey).catch((err: unknown) => {
          toast(errorMessage(err), "error");
        });
      }}
    >
      {label}
    </a>
  );
}
