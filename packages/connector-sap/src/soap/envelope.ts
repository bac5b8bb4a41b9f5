import { escapeXml, parseXml, type XmlElement, type XmlSyntaxError } from './xml.js';

/** SOAP versions SAP's binding offers for this service (both are in the WSDL). */
export type SoapVersion = '1.1' | '1.2';

export const SOAP_ENVELOPE_NS: Record<SoapVersion, string> = {
  '1.1': 'http://schemas.xmlsoap.org/soap/envelope/',
  '1.2': 'http://www.w3.org/2003/05/soap-envelope',
};

/** The SOAPAction of JournalEntryCreateRequestConfirmation_In, as in SAP's WSDL (both bindings). */
export const JOURNAL_ENTRY_SOAP_ACTION =
  'http://sap.com/xi/SAPSCORE/SFIN/JournalEntryCreateRequestConfirmation_In/JournalEntryCreateRequestConfirmation_InRequest';

/** HTTP headers of a SOAP request: SOAP 1.1 carries the action in `SOAPAction`, 1.2 in the content type. */
export function soapRequestHeaders(
  version: SoapVersion,
  action = JOURNAL_ENTRY_SOAP_ACTION,
): Record<string, string> {
  return version === '1.1'
    ? { 'content-type': 'text/xml; charset=utf-8', soapaction: `"${action}"`, accept: 'text/xml' }
    : {
        'content-type': `application/soap+xml; charset=utf-8; action="${action}"`,
        accept: 'application/soap+xml',
      };
}

/** The content type of a SOAP response body. */
export function soapContentType(version: SoapVersion): string {
  return version === '1.1' ? 'text/xml; charset=utf-8' : 'application/soap+xml; charset=utf-8';
}

/** Wraps a body payload (already serialized) in a SOAP envelope. */
export function wrapEnvelope(version: SoapVersion, bodyXml: string): string {
  return `<?xml version="1.0" encoding="utf-8"?><soap:Envelope xmlns:soap="${SOAP_ENVELOPE_NS[version]}"><soap:Header/><soap:Body>${bodyXml}</soap:Body></soap:Envelope>`;
}

/** A SOAP fault as either version carries it. */
export interface SoapFault {
  /** `Client`/`Sender` (the request is wrong) or `Server`/`Receiver` (the service failed). */
  code: 'client' | 'server';
  message: string;
  detail?: string;
}

/** Writes a SOAP fault envelope (served with HTTP 500, as SOAP requires). */
export function faultEnvelope(version: SoapVersion, fault: SoapFault): string {
  const detail = fault.detail ? escapeXml(fault.detail) : '';
  const body =
    version === '1.1'
      ? `<soap:Fault><faultcode>soap:${fault.code === 'client' ? 'Client' : 'Server'}</faultcode><faultstring xml:lang="en">${escapeXml(fault.message)}</faultstring>${detail ? `<detail>${detail}</detail>` : ''}</soap:Fault>`
      : `<soap:Fault><soap:Code><soap:Value>soap:${fault.code === 'client' ? 'Sender' : 'Receiver'}</soap:Value></soap:Code><soap:Reason><soap:Text xml:lang="en">${escapeXml(fault.message)}</soap:Text></soap:Reason>${detail ? `<soap:Detail>${detail}</soap:Detail>` : ''}</soap:Fault>`;
  return wrapEnvelope(version, body);
}

/** A parsed envelope: the version it used and the body's payload element, or the fault it carries. */
export interface ParsedEnvelope {
  version: SoapVersion;
  payload: XmlElement | null;
  fault: SoapFault | null;
}

/** Thrown when a body is not a SOAP envelope at all. */
export class SoapEnvelopeError extends Error {
  override readonly name = 'SoapEnvelopeError';
}

function faultOf(el: XmlElement, version: SoapVersion): SoapFault {
  const find = (parent: XmlElement | undefined, name: string) =>
    parent?.children.find((c) => c.name === name);
  if (version === '1.1') {
    const code = find(el, 'faultcode')?.text.trim() ?? '';
    const detail = find(el, 'detail');
    return {
      code: /client/i.test(code) ? 'client' : 'server',
      message: find(el, 'faultstring')?.text.trim() ?? 'SOAP fault',
      ...(detail ? { detail: detail.text.trim() } : {}),
    };
  }
  const value = find(find(el, 'Code'), 'Value')?.text.trim() ?? '';
  const detail = find(el, 'Detail');
  return {
    code: /sender/i.test(value) ? 'client' : 'server',
    message: find(find(el, 'Reason'), 'Text')?.text.trim() ?? 'SOAP fault',
    ...(detail ? { detail: detail.text.trim() } : {}),
  };
}

/**
 * Parses a SOAP 1.1 or 1.2 envelope.
 *
 * @example
 * const { version, payload, fault } = parseEnvelope(responseText);
 */
export function parseEnvelope(text: string): ParsedEnvelope {
  let root: XmlElement;
  try {
    root = parseXml(text);
  } catch (err) {
    throw new SoapEnvelopeError(`not a SOAP envelope: ${(err as XmlSyntaxError).message}`);
  }
  const version = (Object.keys(SOAP_ENVELOPE_NS) as SoapVersion[]).find(
    (v) => SOAP_ENVELOPE_NS[v] === root.ns,
  );
  if (root.name !== 'Envelope' || !version) {
    throw new SoapEnvelopeError(
      `not a SOAP envelope: the root element is {${root.ns}}${root.name}, expected Envelope in ${SOAP_ENVELOPE_NS['1.1']} or ${SOAP_ENVELOPE_NS['1.2']}`,
    );
  }
  const body = root.children.find((c) => c.name === 'Body' && c.ns === root.ns);
  if (!body) throw new SoapEnvelopeError('the SOAP envelope has no Body');
  const payload = body.children[0] ?? null;
  if (payload && payload.name === 'Fault' && payload.ns === root.ns)
    return { version, payload: null, fault: faultOf(payload, version) };
  return { version, payload, fault: null };
}
