import type { Account, DataPending, StatementFile } from '../flinks/types.ts';

export interface PendingView extends DataPending {
  requestId: string;
  retryAfterSeconds: number;
}

export interface AccountsView {
  kind: 'summary' | 'detail';
  requestId: string;
  accounts: Account[];
}

export interface StatementView extends StatementFile {
  downloadUrl: string;
  downloadExpiresAt: Date;
}

export interface StatementsView {
  kind: 'statements';
  requestId: string;
  accounts: { accountNumber: string; statements: StatementView[] }[];
}
