// Admin → Settings → Routing: automatic assignment, capacity per agent and the offline grace
// period. The same settings object and endpoint as the Support tab (its other fields).
import { SupportSettingsPage } from './SupportSettingsPage';

export function RoutingSettingsPage() {
  return <SupportSettingsPage section="routing" />;
}
