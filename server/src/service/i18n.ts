/** Locale choice for the texts the project writes itself (kind explanations, status notes). */
import { KIND_TEXTS } from '../i18n/kinds';
import { isZh } from './context';

export function kindExplanation(kind: string, locale: string): string | undefined {
  const t = KIND_TEXTS[kind];
  if (!t) return undefined;
  return isZh(locale) ? t.zh : t.en;
}
