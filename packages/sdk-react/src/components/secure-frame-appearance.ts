/**
 * What `<CardDisplay secure>` tells the hosted card page about its own look, so that the revealed
 * card is drawn exactly like the masked one: the labels in the widget's locale and the computed
 * typography of its fields (whatever `--oi-*` theme or stylesheet the app applies). The page
 * applies only the properties listed here, the spec's `GET /cards/{card}/display` protocol.
 */
export interface SecureFrameAppearance {
  labels: { number: string; expiry: string; cvc: string };
  styles: Record<AppearancePart, Record<string, string>>;
}

type AppearancePart = 'fields' | 'label' | 'value' | 'number';

const PROPERTIES: Record<AppearancePart, readonly string[]> = {
  fields: ['color', 'color-scheme', 'font-family', 'font-size', 'line-height', 'row-gap', 'column-gap'],
  label: [
    'font-family',
    'font-size',
    'font-style',
    'font-weight',
    'letter-spacing',
    'line-height',
    'opacity',
    'text-transform',
  ],
  value: [
    'font-family',
    'font-size',
    'font-style',
    'font-weight',
    'letter-spacing',
    'line-height',
    'margin-top',
  ],
  number: ['font-family', 'font-size', 'font-weight', 'letter-spacing', 'line-height'],
};

function computed(element: Element | null, part: AppearancePart): Record<string, string> {
  if (!element) return {};
  const style = getComputedStyle(element);
  const values: Record<string, string> = {};
  for (const property of PROPERTIES[part]) {
    const value = style.getPropertyValue(property);
    if (value) values[property] = value;
  }
  return values;
}

/**
 * Reads the appearance from the widget's masked fields (`<dl>` with a `--pan` field first).
 *
 * @example
 * const appearance = readAppearance(fieldsElement, { number: 'Card number', expiry: 'Expires', cvc: 'CVC' });
 */
export function readAppearance(
  fields: HTMLElement,
  labels: SecureFrameAppearance['labels'],
): SecureFrameAppearance {
  return {
    labels,
    styles: {
      fields: computed(fields, 'fields'),
      label: computed(fields.querySelector('dt'), 'label'),
      value: computed(fields.querySelector('.oi-card__field:not(.oi-card__field--pan) dd'), 'value'),
      number: computed(fields.querySelector('.oi-card__field--pan dd'), 'number'),
    },
  };
}
