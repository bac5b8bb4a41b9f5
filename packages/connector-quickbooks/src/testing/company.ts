import {
  badEnum,
  business,
  duplicateName,
  inactiveRef,
  invalidRef,
  notFound,
  QboFault,
  qboTime,
  required,
  stale,
  tooLong,
} from './faults.js';
import { matchesQuery, type ParsedQuery, sortBy } from './query.js';

type Entity = Record<string, unknown> & { Id: string; SyncToken: string };
type Ref = { value?: unknown; name?: string; type?: string } | undefined;

/** Entities the emulator stores. */
export const ENTITIES = [
  'Account',
  'Vendor',
  'Customer',
  'Employee',
  'Class',
  'Department',
  'Purchase',
] as const;
export type EntityName = (typeof ENTITIES)[number];

const NAME_LISTS = new Set<EntityName>(['Account', 'Vendor', 'Customer', 'Employee', 'Class', 'Department']);
const PAYMENT_TYPES = ['Cash', 'Check', 'CreditCard'];
const DETAIL_TYPES = ['AccountBasedExpenseLineDetail', 'ItemBasedExpenseLineDetail'];

/** Documented field limits the emulator enforces. */
export const LIMITS = {
  DocNumber: 21,
  PrivateNote: 4000,
  DisplayName: 500,
  LineDescription: 4000,
  AccountName: 100,
};

export interface CompanyOptions {
  homeCurrency?: string;
  multiCurrency?: boolean;
  now: () => number;
}

/**
 * One QuickBooks Online company (realm): name lists and purchases, with the documented validation
 * rules applied on create and update.
 */
export class Company {
  readonly store = new Map<EntityName, Map<string, Entity>>();
  private nextId = 1;
  readonly homeCurrency: string;
  readonly multiCurrency: boolean;

  constructor(private readonly options: CompanyOptions) {
    for (const e of ENTITIES) this.store.set(e, new Map());
    this.homeCurrency = options.homeCurrency ?? 'USD';
    this.multiCurrency = options.multiCurrency ?? false;
  }

  private table(name: EntityName): Map<string, Entity> {
    return this.store.get(name) as Map<string, Entity>;
  }

  private meta(): Record<string, string> {
    const t = qboTime(this.options.now());
    return { CreateTime: t, LastUpdatedTime: t };
  }

  list(name: EntityName): Entity[] {
    return [...this.table(name).values()];
  }

  read(name: EntityName, id: string): Entity {
    const e = this.table(name).get(id);
    if (!e) throw notFound();
    return e;
  }

  /** Runs a parsed query; name lists return only active objects unless the query filters on Active. */
  query(q: ParsedQuery): { rows: Entity[]; total: number } {
    const name = ENTITIES.find((e) => e.toLowerCase() === q.entity.toLowerCase());
    if (!name)
      throw new QboFault(400, 'ValidationFault', [
        {
          Message: 'Error parsing query',
          Detail: `QueryParserError: Invalid entity name: ${q.entity}`,
          code: '4000',
          element: '',
        },
      ]);
    let rows = this.list(name);
    const filtersActive = q.where.some((c) => c.field.toLowerCase() === 'active');
    if (NAME_LISTS.has(name) && !filtersActive) rows = rows.filter((r) => r.Active !== false);
    rows = rows.filter((r) => matchesQuery(r, q.where));
    rows = sortBy(rows, q.orderBy) as Entity[];
    const total = rows.length;
    return { rows: rows.slice(q.startPosition - 1, q.startPosition - 1 + q.maxResults), total };
  }

  private checkRef(ref: Ref, element: string, kind: EntityName | EntityName[], label: string): Entity | null {
    if (ref === undefined || ref === null) return null;
    const id = ref.value;
    if (id === undefined || id === null || id === '') throw required(`${element}.value`);
    const kinds = Array.isArray(kind) ? kind : [kind];
    for (const k of kinds) {
      const e = this.table(k).get(String(id));
      if (e) {
        if (e.Active === false) throw inactiveRef(element);
        return e;
      }
    }
    throw invalidRef(element, label, id);
  }

  private checkLength(value: unknown, element: string, max: number): void {
    if (typeof value === 'string' && value.length > max) throw tooLong(element, max, value.length);
  }

  private nameTaken(displayName: string, exceptId?: string): Entity | undefined {
    const lower = displayName.trim().toLowerCase();
    for (const kind of ['Vendor', 'Customer', 'Employee'] as const) {
      for (const e of this.table(kind).values()) {
        if (
          e.Id !== exceptId &&
          String(e.DisplayName ?? '')
            .trim()
            .toLowerCase() === lower
        )
          return e;
      }
    }
    return undefined;
  }

  /** Creates a name-list object (Account, Vendor, Customer, Employee, Class, Department). */
  createNameList(name: EntityName, input: Record<string, unknown>): Entity {
    if (name === 'Vendor' || name === 'Customer' || name === 'Employee') {
      const display =
        (input.DisplayName as string | undefined) ??
        [input.Title, input.GivenName, input.MiddleName, input.FamilyName, input.Suffix]
          .filter(Boolean)
          .join(' ');
      if (!display) throw required('DisplayName');
      this.checkLength(display, 'DisplayName', LIMITS.DisplayName);
      if (/[:\t\n]/.test(display)) {
        throw business('DisplayName cannot contain a colon (:), tab or newline.', 'DisplayName');
      }
      const taken = this.nameTaken(display);
      if (taken) throw duplicateName(taken.Id);
      input = { ...input, DisplayName: display };
    } else {
      if (!input.Name) throw required('Name');
      this.checkLength(input.Name, 'Name', LIMITS.AccountName);
      const dup = this.list(name).find(
        (e) => String(e.Name).toLowerCase() === String(input.Name).toLowerCase(),
      );
      if (dup) {
        throw new QboFault(400, 'ValidationFault', [
          {
            Message: 'Duplicate Name Exists Error',
            Detail: `The name supplied already exists. : Id=${dup.Id}`,
            code: '6240',
            element: '',
          },
        ]);
      }
      if (name === 'Account' && !input.AccountType) throw required('AccountType');
    }
    const e: Entity = {
      ...input,
      ...(name === 'Account' || name === 'Class' || name === 'Department'
        ? { FullyQualifiedName: input.Name }
        : {}),
      Active: input.Active ?? true,
      Id: String(this.nextId++),
      SyncToken: '0',
      domain: 'QBO',
      sparse: false,
      MetaData: this.meta(),
    };
    this.table(name).set(e.Id, e);
    return e;
  }

  /** Validates and stores a Purchase the way QuickBooks Online documents it. */
  createPurchase(input: Record<string, unknown>): Entity {
    const p = this.validatePurchase(input);
    const e: Entity = {
      ...p,
      Id: String(this.nextId++),
      SyncToken: '0',
      domain: 'QBO',
      sparse: false,
      MetaData: this.meta(),
    };
    this.table('Purchase').set(e.Id, e);
    return e;
  }

  private validatePurchase(input: Record<string, unknown>): Record<string, unknown> {
    if (input.PaymentType === undefined) throw required('PaymentType');
    if (!PAYMENT_TYPES.includes(String(input.PaymentType))) throw badEnum('PaymentType', input.PaymentType);
    if (input.AccountRef === undefined) throw required('AccountRef');
    const account = this.checkRef(input.AccountRef as Ref, 'AccountRef', 'Account', 'Accounts') as Entity;
    if (input.PaymentType === 'CreditCard' && account.AccountType !== 'Credit Card') {
      throw business('For a credit card purchase, AccountRef must be a Credit Card account.', 'AccountRef');
    }
    if ((input.PaymentType === 'Check' || input.PaymentType === 'Cash') && account.AccountType !== 'Bank') {
      throw business('For a cash or check purchase, AccountRef must be a Bank account.', 'AccountRef');
    }
    if (input.Credit !== undefined) {
      if (typeof input.Credit !== 'boolean') throw badEnum('Credit', input.Credit);
      if (input.Credit && input.PaymentType !== 'CreditCard') {
        throw business('Credit is only valid for credit card purchases (PaymentType CreditCard).', 'Credit');
      }
    }
    this.checkLength(input.DocNumber, 'DocNumber', LIMITS.DocNumber);
    this.checkLength(input.PrivateNote, 'PrivateNote', LIMITS.PrivateNote);
    if (input.TxnDate !== undefined && !/^\d{4}-\d{2}-\d{2}$/.test(String(input.TxnDate))) {
      throw business(`TxnDate "${String(input.TxnDate)}" is not a valid date (yyyy-MM-dd).`, 'TxnDate');
    }
    this.checkRef(input.EntityRef as Ref, 'EntityRef', ['Vendor', 'Customer', 'Employee'], 'Names');
    this.checkRef(input.DepartmentRef as Ref, 'DepartmentRef', 'Department', 'Department');
    // currency
    const currency = String((input.CurrencyRef as Ref)?.value ?? this.homeCurrency).toUpperCase();
    if (!/^[A-Z]{3}$/.test(currency)) throw badEnum('CurrencyRef', currency);
    if (currency !== this.homeCurrency) {
      if (!this.multiCurrency) {
        throw business(
          `Multicurrency is not enabled for this company; CurrencyRef ${currency} differs from the home currency ${this.homeCurrency}.`,
          'CurrencyRef',
        );
      }
      if (input.ExchangeRate === undefined) throw required('ExchangeRate');
    }
    if (
      input.ExchangeRate !== undefined &&
      !(typeof input.ExchangeRate === 'number' && input.ExchangeRate > 0)
    ) {
      throw business('ExchangeRate must be a positive number.', 'ExchangeRate');
    }
    if (
      currency !==
      String(
        account.CurrencyRef && (account.CurrencyRef as Ref)?.value
          ? (account.CurrencyRef as Ref)?.value
          : this.homeCurrency,
      )
    ) {
      throw business(
        `The currency of AccountRef must match the transaction currency ${currency}.`,
        'AccountRef',
      );
    }
    // lines
    const lines = input.Line;
    if (lines === undefined) throw required('Line');
    if (!Array.isArray(lines) || lines.length === 0)
      throw business('You must fill out at least one split line.', 'Line');
    let total = 0;
    lines.forEach((raw, i) => {
      const line = raw as Record<string, unknown>;
      if (line.DetailType === undefined) throw required(`Line[${i}].DetailType`);
      if (!DETAIL_TYPES.includes(String(line.DetailType)))
        throw badEnum(`Line[${i}].DetailType`, line.DetailType);
      if (line.DetailType !== 'AccountBasedExpenseLineDetail') {
        throw business(
          'The emulator supports AccountBasedExpenseLineDetail lines only.',
          `Line[${i}].DetailType`,
        );
      }
      if (line.Amount === undefined) throw required(`Line[${i}].Amount`);
      if (typeof line.Amount !== 'number' || !Number.isFinite(line.Amount)) {
        throw business(`Line[${i}].Amount must be a number.`, `Line[${i}].Amount`);
      }
      this.checkLength(line.Description, `Line[${i}].Description`, LIMITS.LineDescription);
      const d = line.AccountBasedExpenseLineDetail as Record<string, unknown> | undefined;
      if (!d) throw required(`Line[${i}].AccountBasedExpenseLineDetail`);
      if (d.AccountRef === undefined) throw required(`Line[${i}].AccountBasedExpenseLineDetail.AccountRef`);
      this.checkRef(d.AccountRef as Ref, 'AccountBasedExpenseLineDetail.AccountRef', 'Account', 'Accounts');
      this.checkRef(d.ClassRef as Ref, 'AccountBasedExpenseLineDetail.ClassRef', 'Class', 'Class');
      total += line.Amount;
    });
    return {
      ...input,
      Credit: input.Credit ?? false,
      CurrencyRef: { value: currency },
      ...(input.ExchangeRate === undefined ? { ExchangeRate: 1 } : {}),
      TxnDate: input.TxnDate ?? qboTime(this.options.now()).slice(0, 10),
      TotalAmt: Math.round(total * 100) / 100,
      Line: lines.map((l, i) => ({ Id: String(i + 1), LineNum: i + 1, ...(l as object) })),
    };
  }

  /** Sparse or full update with optimistic concurrency on SyncToken (5010 when stale). */
  update(name: EntityName, input: Record<string, unknown>): Entity {
    if (input.Id === undefined) throw required('Id');
    if (input.SyncToken === undefined) throw required('SyncToken');
    const current = this.read(name, String(input.Id));
    if (String(input.SyncToken) !== current.SyncToken) throw stale();
    const sparse = input.sparse === true;
    let next: Record<string, unknown> = sparse ? { ...current, ...input } : { ...input };
    if (name === 'Purchase') next = this.validatePurchase(next);
    if ((name === 'Vendor' || name === 'Customer' || name === 'Employee') && next.DisplayName) {
      const taken = this.nameTaken(String(next.DisplayName), current.Id);
      if (taken) throw duplicateName(taken.Id);
    }
    const updated: Entity = {
      ...next,
      Id: current.Id,
      SyncToken: String(Number(current.SyncToken) + 1),
      domain: 'QBO',
      sparse: false,
      MetaData: { ...(current.MetaData as object), LastUpdatedTime: qboTime(this.options.now()) },
    };
    this.table(name).set(current.Id, updated);
    return updated;
  }

  /** Deletes a transaction (name lists are made inactive instead, as in QuickBooks). */
  delete(name: EntityName, input: Record<string, unknown>): Entity {
    if (input.Id === undefined) throw required('Id');
    if (input.SyncToken === undefined) throw required('SyncToken');
    const current = this.read(name, String(input.Id));
    if (String(input.SyncToken) !== current.SyncToken) throw stale();
    if (NAME_LISTS.has(name))
      throw business(`${name} objects cannot be deleted; make them inactive (Active=false).`);
    this.table(name).delete(current.Id);
    return { ...current, status: 'Deleted' } as Entity;
  }
}
