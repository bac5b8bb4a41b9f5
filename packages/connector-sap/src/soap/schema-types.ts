/** XSD built-in types the journal-entry schema restricts. */
export type XsdBase =
  | 'string'
  | 'token'
  | 'date'
  | 'dateTime'
  | 'decimal'
  | 'boolean'
  | 'anyURI'
  | 'duration'
  | 'language';

/** A simple type: an XSD base type plus the facets SAP's WSDL gives it. */
export interface SimpleType {
  kind: 'simple';
  base: XsdBase;
  length?: number;
  minLength?: number;
  maxLength?: number;
  pattern?: string;
  totalDigits?: number;
  fractionDigits?: number;
}

/** One element of an `xsd:sequence`, in schema order. */
export interface SequenceElement {
  name: string;
  type: string;
  min: number;
  max: number;
}

/** A complex type with element content (an `xsd:sequence`). */
export interface ComplexType {
  kind: 'complex';
  sequence: SequenceElement[];
}

/** A complex type with simple content and attributes (e.g. `Amount` with `currencyCode`). */
export interface SimpleContentType {
  kind: 'simpleContent';
  content: string;
  attributes: { name: string; type: string; required: boolean }[];
}

export type XsdType = SimpleType | ComplexType | SimpleContentType;

/** The derived schema: global elements (roots) and every type reachable from them. */
export interface SchemaTable {
  namespace: string;
  roots: Record<string, string>;
  types: Record<string, XsdType>;
}

/** The table as stored in JSON (`Infinity` written as `"unbounded"`). */
export interface SchemaTableJson {
  namespace: string;
  roots: Record<string, string>;
  types: Record<
    string,
    | SimpleType
    | SimpleContentType
    | { kind: 'complex'; sequence: { name: string; type: string; min: number; max: number | 'unbounded' }[] }
  >;
}
