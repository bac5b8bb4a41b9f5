// @sap/cds ships no type declarations (they are in @cap-js/cds-types); the tests use it untyped.
declare module '@sap/cds';
