// The app every bundler test builds, by the README's recipes: it imports the
// installed package by name, as a user's app does (no init call).
import { TransactionLog } from 'retentionkit';
import { showKpi } from './kpi.js';

showKpi(TransactionLog);
