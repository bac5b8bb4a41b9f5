namespace openissuing;

/**
 * Books OpenIssuing card transactions into SAP S/4HANA as journal entries, exactly once.
 * Configured from cds.requires.openissuing (see the @openissuing/connector-sap README).
 */
@path: '/openissuing-sync'
@requires: 'authenticated-user'
service OpenIssuingSyncService {
  type Counts {
    pending  : Integer;
    in_doubt : Integer;
    posted   : Integer;
    dead     : Integer;
  }

  type SyncResult {
    ingested      : Integer;
    posted        : Integer;
    foundExisting : Integer;
    deadLettered  : Integer;
    retries       : Integer;
    durationMs    : Integer;
    counts        : Counts;
  }

  type DeadLetter {
    externalRef : String;
    code        : String;
    message     : String;
    attempts    : Integer;
  }

  type Status {
    counts      : Counts;
    cursor      : String;
    deadLetters : many DeadLetter;
  }

  type CurrencyTotal {
    currency      : String;
    platform      : Integer64;
    erp           : Integer64;
    difference    : Integer64;
    platformCount : Integer;
    erpCount      : Integer;
  }

  type Issue {
    externalRef : String;
    kind        : String;
    reason      : String;
  }

  type Reversed {
    externalRef : String;
    erpId       : String;
    reversedBy  : String;
    date        : Date;
  }

  type Reconciliation {
    matched  : Boolean;
    totals   : many CurrencyTotal;
    issues   : many Issue;
    reversed : many Reversed;
  }

  /** Pulls new transactions and posts them to SAP; returns the run's totals. */
  action sync() returns SyncResult;
  /** Compares platform and SAP over a date range (minor units), reversed documents counted as absent. */
  action reconcile(from : Date, to : Date) returns Reconciliation;
  /** Counts, cursor and the dead-letter list. */
  function status() returns Status;
}
