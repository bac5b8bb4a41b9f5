/** One error inside a QuickBooks `Fault`. */
export interface QboErrorItem {
  Message: string;
  Detail: string;
  code: string;
  element: string;
}

/** QuickBooks Online's documented Fault body: `{"Fault":{"Error":[…],"type":"ValidationFault"},"time":…}`. */
export interface QboFaultBody {
  Fault: { Error: QboErrorItem[]; type: string };
  time: string;
}

/** QuickBooks timestamps look like `2017-09-29T09:17:31.892-07:00`; the emulator uses UTC offsets. */
export function qboTime(ms: number): string {
  return new Date(ms).toISOString().replace('Z', '+00:00');
}

export function fault(time: number, type: string, ...errors: QboErrorItem[]): QboFaultBody {
  return { Fault: { Error: errors, type }, time: qboTime(time) };
}

/** A fault raised while handling a request; `status` is the HTTP status for non-batch requests. */
export class QboFault extends Error {
  constructor(
    readonly status: number,
    readonly type: string,
    readonly errors: QboErrorItem[],
  ) {
    super(errors.map((e) => `${e.code} ${e.Message}: ${e.Detail}`).join('; '));
  }
}

/** 2020 — a required field is missing. */
export const required = (element: string) =>
  new QboFault(400, 'ValidationFault', [
    {
      Message: 'Required param missing, need to supply the required value for the API',
      Detail: `Required parameter ${element} is missing in the request`,
      code: '2020',
      element,
    },
  ]);

/** 2050 — string longer than the documented maximum. */
export const tooLong = (element: string, max: number, supplied: number) =>
  new QboFault(400, 'ValidationFault', [
    {
      Message: 'String length is either shorter or longer than supported by specification',
      Detail: `String length specified does not match the supported length. Min:0 Max:${max} supported. Supplied length:${supplied}`,
      code: '2050',
      element,
    },
  ]);

/** 2170 — a value outside the documented enumeration. */
export const badEnum = (element: string, value: unknown) =>
  new QboFault(400, 'ValidationFault', [
    {
      Message: 'Invalid Enumeration',
      Detail: `Invalid Enumeration : ${String(value)}`,
      code: '2170',
      element,
    },
  ]);

/** 2500 — a reference to an id that does not exist. */
export const invalidRef = (element: string, kind: string, id: unknown) =>
  new QboFault(400, 'ValidationFault', [
    {
      Message: 'Invalid Reference Id',
      Detail: `Invalid Reference Id : ${kind} element id ${String(id)} not found`,
      code: '2500',
      element,
    },
  ]);

/** 610 — a referenced name-list object has been made inactive. */
export const inactiveRef = (element: string) =>
  new QboFault(400, 'ValidationFault', [
    {
      Message: 'Object Not Found',
      Detail:
        "Object Not Found : Something you're trying to use has been made inactive. Check the fields with accounts, customers, items, vendors or employees.",
      code: '610',
      element,
    },
  ]);

/** 610 — reading or updating an object that does not exist (or was deleted). */
export const notFound = () =>
  new QboFault(400, 'ValidationFault', [
    {
      Message: 'Object Not Found',
      Detail: 'Object Not Found : Another user has deleted this transaction.',
      code: '610',
      element: '',
    },
  ]);

/** 6240 — DisplayName already used by a customer, vendor or employee. */
export const duplicateName = (id: string) =>
  new QboFault(400, 'ValidationFault', [
    {
      Message: 'Duplicate Name Exists Error',
      Detail: `The name supplied already exists. : Another customer, vendor or employee is already using this name. Please use a different name. Id=${id}`,
      code: '6240',
      element: '',
    },
  ]);

/** 5010 — update with an out-of-date SyncToken. */
export const stale = () =>
  new QboFault(400, 'ValidationFault', [
    {
      Message: 'Stale Object Error',
      Detail:
        'Stale Object Error : You and another user were working on the same thing. Please refresh and try again.',
      code: '5010',
      element: '',
    },
  ]);

/** 6000 — business validation. */
export const business = (detail: string, element = '') =>
  new QboFault(400, 'ValidationFault', [
    {
      Message: 'A business validation error has occurred while processing your request',
      Detail: `Business Validation Error: ${detail}`,
      code: '6000',
      element,
    },
  ]);

/** 4000 — the query could not be parsed. */
export const queryError = (detail: string) =>
  new QboFault(400, 'ValidationFault', [
    { Message: 'Error parsing query', Detail: `QueryParserError: ${detail}`, code: '4000', element: '' },
  ]);

/**
 * The lowercase body QuickBooks returns for authentication failures (401, code 3200) — note the
 * different casing and envelope from the ValidationFault body.
 */
export function authFailureBody(time: number, detail: string): Record<string, unknown> {
  return {
    warnings: null,
    intuitObject: null,
    fault: {
      error: [
        {
          message: 'message=AuthenticationFailed; errorCode=003200; statusCode=401',
          detail,
          code: '3200',
          element: null,
        },
      ],
      type: 'AUTHENTICATION',
    },
    report: null,
    queryResponse: null,
    batchItemResponse: [],
    attachableResponse: [],
    syncErrorResponse: null,
    requestId: null,
    time,
    status: null,
    cdcresponse: [],
  };
}

/** 403 for a realm the token was not issued for (code 3100, same lowercase envelope). */
export function authorizationFailureBody(time: number): Record<string, unknown> {
  const body = authFailureBody(time, '');
  (body.fault as { error: unknown[]; type: string }).error = [
    {
      message: 'message=ApplicationAuthorizationFailed; errorCode=003100; statusCode=403',
      detail: null,
      code: '3100',
      element: null,
    },
  ];
  (body.fault as { type: string }).type = 'SERVICE';
  return body;
}

/** 429 body when a throttle is exceeded. */
export const throttled = (detail: string) =>
  new QboFault(429, 'SERVICE', [
    {
      Message: 'message=ThrottleExceeded; errorCode=003001; statusCode=429',
      Detail: detail,
      code: '3001',
      element: '',
    },
  ]);
