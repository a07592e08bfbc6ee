import { type AccountsResult, watchAccounts } from './client.ts';
import { h } from './dom.ts';

type Session = Extract<AccountsResult, { __typename: 'Session' }>;
type Detail = NonNullable<Session['accountsDetail']>;
type DetailAccount = Extract<Detail, { __typename: 'AccountsDetail' }>['accounts'][number];

/**
 * The accounts as soon as the gateway has them, then each account's transactions as they
 * stream in, from one request: Flinks' slow account detail needs no polling here.
 */
export function accounts(requestId: string): HTMLElement {
  const status = h('p', { class: 'hint', 'aria-live': 'polite' }, 'Loading your accounts…');
  const list = h('ul', { class: 'accounts', 'aria-label': 'Accounts' });
  const section = h('section', {}, h('h2', {}, 'Accounts'), status, list);
  watchAccounts(requestId, (session, done, error) => {
    if (error && !session) {
      status.textContent = 'Your accounts could not be loaded.';
      return;
    }
    if (session?.__typename !== 'Session') {
      if (session) status.textContent = session.message;
      return;
    }
    const summary = session.accountsSummary;
    if (summary.__typename !== 'AccountsSummary') {
      status.textContent = summary.message;
      return;
    }
    const detail = session.accountsDetail;
    const byId = new Map<string, DetailAccount>(
      detail?.__typename === 'AccountsDetail' ? detail.accounts.map((a) => [a.id, a]) : [],
    );
    list.replaceChildren(
      ...summary.accounts.map((account) => {
        const balance = account.balance?.current;
        const item = h(
          'li',
          {},
          h('strong', {}, account.title ?? account.type ?? 'Account'),
          ` ${balance ? `${balance.amount} ${balance.currency}` : ''}`,
        );
        const edges = byId.get(account.id)?.transactions?.edges;
        if (edges) {
          item.append(
            h(
              'ul',
              {
                class: 'transactions',
                'aria-label': `Transactions of ${account.title ?? account.id}`,
              },
              ...edges.map(({ node }) => {
                const money = node.debit
                  ? `−${node.debit.amount}`
                  : `+${node.credit?.amount ?? '0'}`;
                return h('li', {}, `${node.date} ${node.description} ${money}`);
              }),
            ),
          );
        }
        return item;
      }),
    );
    if (!detail) status.textContent = 'Your transactions are on their way…';
    else if (detail.__typename === 'DataPending') {
      status.textContent =
        'Your bank is still preparing your transactions. Come back in a few minutes.';
    } else if (detail.__typename !== 'AccountsDetail') status.textContent = detail.message;
    else status.textContent = done ? 'All transactions loaded.' : 'Loading transactions…';
  });
  return section;
}
