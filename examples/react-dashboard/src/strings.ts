/** The dashboard's own labels (the widgets bring theirs). */
const strings = {
  en: {
    title: 'Acme Corp · Cards',
    language: 'Language',
    dark: 'Dark theme',
    authorizations: 'Authorizations',
    settled: 'Settled transactions',
    simulateTitle: 'Simulate a purchase (sandbox)',
    merchant: 'Merchant',
    amount: 'Amount',
    simulate: 'Simulate purchase',
    approved: 'approved',
    declined: 'declined',
    loading: 'Loading…',
    secureMode: 'Show card details in the platform’s hosted iframe (your page never sees the PAN)',
    views: 'Views',
    cardsView: 'Cards',
    budgetsView: 'Budgets',
    budgetsTitle: 'Budgets',
    spendTitle: 'Spend by department, last 14 days',
    noBudgets: 'No budgets yet.',
  },
  'zh-CN': {
    title: 'Acme 公司 · 卡片',
    language: '语言',
    dark: '深色主题',
    authorizations: '授权记录',
    settled: '已结算交易',
    simulateTitle: '模拟一笔消费（沙盒）',
    merchant: '商户',
    amount: '金额',
    simulate: '模拟消费',
    approved: '已批准',
    declined: '已拒绝',
    loading: '加载中…',
    secureMode: '在平台托管的 iframe 中显示卡片信息（本页面不接触卡号）',
    views: '视图',
    cardsView: '卡片',
    budgetsView: '预算',
    budgetsTitle: '预算',
    spendTitle: '近 14 天各部门消费',
    noBudgets: '还没有预算。',
  },
};

export type AppStrings = (typeof strings)['en'];

export function appStrings(locale: string): AppStrings {
  return locale === 'zh-CN' ? strings['zh-CN'] : strings.en;
}
