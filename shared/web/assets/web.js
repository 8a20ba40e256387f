// GOV.UK Frontend's JavaScript only enhances pages that already work without it.
import { initAll } from './govuk-frontend.min.js';

initAll();
