import { lazy, Suspense } from "react";
import { Link, useParams } from "react-router";
import { useEndpoint } from "../../api/endpoints";
import { ErrorMessage, Loading } from "../../components/Status";
import { Tabs, useTabParam } from "../../components/Tabs";
import { ConsumeTab } from "./ConsumeTab";
import { DetailsTab } from "./DetailsTab";
import { LineageLink } from "../../components/LineageLink";
import { StateBadge } from "../../components/StatusBadge";
import { endpointState } from "./endpointState";
import { LogsTab } from "./LogsTab";
import { TestTab } from "./TestTab";
import "./endpoints.css";

// The charts carry the chart library: their own chunk, loaded when the tab opens.
const MonitoringTab = lazy(() => import("./MonitoringTab"));

const TABS = [
  { id: "details", label: "Details" },
  { id: "consume", label: "Consume" },
  { id: "test", label: "Test" },
  { id: "monitoring", label: "Monitoring" },
  { id: "logs", label: "Logs" },
] as const;

/** /endpoints/:name — one online endpoint. */
export default function EndpointPage() {
  const { name = "" } = useParams();
  const endpoint = useEndpoint(name);
  const [tab, select] = useTabParam(TABS);
  return (
    <section>
      <nav aria-label="Breadcrumb" className="breadcrumb">
        <Link to="/endpoints">Endpoints</Link> / <span>{name}</span>
      </nav>
      <div className="page-title">
        <h1>
          {name} {endpoint.data && <StateBadge state={endpointState(endpoint.data)} />}
        </h1>
        <LineageLink node={`online-endpoint:${name}`} />
      </div>
      <ErrorMessage error={endpoint.error} />
      {endpoint.isPending && <Loading />}
      {endpoint.data && (
        <Tabs label="Endpoint" tabs={TABS} current={tab} onSelect={(id) => select(id as typeof tab)}>
          {tab === "details" && <DetailsTab endpoint={endpoint.data} />}
          {tab === "consume" && <ConsumeTab endpoint={endpoint.data} />}
          {tab === "test" && <TestTab endpoint={endpoint.data} />}
          {tab === "monitoring" && (
            <Suspense fallback={<Loading what="Loading the charts" />}>
              <MonitoringTab endpoint={endpoint.data} />
            </Suspense>
          )}
          {tab === "logs" && <LogsTab endpoint={endpoint.data} />}
        </Tabs>
      )}
    </section>
  );
}
