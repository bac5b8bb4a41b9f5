/** The dashboard's own labels (the widgets bring theirs). */
const strings = {
  en: {
    title: 'Acme Corp · Cards',
    language: 'Language',
    dark: 'Dark theme',
    authorizations: 'Authorizations',
    noAuthorizations: 'No authorizations yet.',
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
    viewCards: 'Cards',
    viewApprovals: 'Approvals',
    approveAs: 'Approve as',
    marketingApprover: 'Marketing approver',
    financeApprover: 'Finance',
  },
  'zh-CN': {
    title: 'Acme 公司 · 卡片',
    language: '语言',
    dark: '深色主题',
    authorizations: '授权记录',
    noAuthorizations: '暂无授权记录。',
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
    viewCards: '卡片',
    viewApprovals: '审批',
    approveAs: '审批身份',
    marketingApprover: '市场部审批人',
    financeApprover: '财务',
  },
};

export type AppStrings = (typeof strings)['en'];

export function appStrings(locale: string): AppStrings {
  return locale === 'zh-CN' ? strings['zh-CN'] : strings.en;
}
