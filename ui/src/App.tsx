import { lazy, Suspense } from "react";
import { Link, Route, Routes } from "react-router";
import { Shell } from "./components/Shell";
import { Loading } from "./components/Status";
import { TokenPrompt } from "./components/TokenPrompt";
import { DataList } from "./pages/data/DataList";
import { Home } from "./pages/Home";

// Heavy pages load on demand (the profile's charts live in their own chunk).
const CreateDataWizard = lazy(() => import("./pages/data/CreateDataWizard"));
const DatasetPage = lazy(() => import("./pages/data/DatasetPage"));
const Datastores = lazy(() => import("./pages/datastores/Datastores"));
const ComputePage = lazy(() => import("./pages/compute/ComputePage"));
const NotebooksPage = lazy(() => import("./pages/notebooks/NotebooksPage"));
const JobsPage = lazy(() => import("./pages/jobs/JobsPage"));
const JobPage = lazy(() => import("./pages/jobs/JobPage"));
const ComparePage = lazy(() => import("./pages/jobs/ComparePage"));
const AutoMLList = lazy(() => import("./pages/automl/AutoMLList"));
const NewAutoMLRun = lazy(() => import("./pages/automl/NewAutoMLRun"));
const AutoMLRunPage = lazy(() => import("./pages/automl/AutoMLRunPage"));
const TrialPage = lazy(() => import("./pages/automl/TrialPage"));
const ModelList = lazy(() => import("./pages/models/ModelList"));
const ModelPage = lazy(() => import("./pages/models/ModelPage"));
const EndpointList = lazy(() => import("./pages/endpoints/EndpointList"));
const EndpointPage = lazy(() => import("./pages/endpoints/EndpointPage"));
const DraftsPage = lazy(() => import("./pages/designer/DraftsPage"));
const DraftPage = lazy(() => import("./pages/designer/DraftPage"));
const EnvironmentList = lazy(() => import("./pages/environments/EnvironmentList"));
const EnvironmentPage = lazy(() => import("./pages/environments/EnvironmentPage"));
const DesignerRunPage = lazy(() => import("./pages/designer/RunPage"));
const ScheduleList = lazy(() => import("./pages/schedules/ScheduleList"));
const SchedulePage = lazy(() => import("./pages/schedules/SchedulePage"));
const WebhookList = lazy(() => import("./pages/webhooks/WebhookList"));
const WebhookPage = lazy(() => import("./pages/webhooks/WebhookPage"));
const EventsView = lazy(() => import("./pages/webhooks/EventsView"));
const AuditPage = lazy(() => import("./pages/audit/AuditPage"));
const LineagePage = lazy(() => import("./pages/lineage/LineagePage"));
const MonitorList = lazy(() => import("./pages/monitoring/MonitorList"));
const MonitorPage = lazy(() => import("./pages/monitoring/MonitorPage"));

export function App() {
  return (
    <Shell>
      <TokenPrompt />
      <Suspense fallback={<Loading />}>
        <Routes>
          <Route path="/" element={<Home />} />
          <Route path="/data" element={<DataList />} />
          <Route path="/data/new" element={<CreateDataWizard />} />
          <Route path="/data/:name/:version?" element={<DatasetPage />} />
          <Route path="/datastores" element={<Datastores />} />
          <Route path="/compute" element={<ComputePage />} />
          <Route path="/notebooks" element={<NotebooksPage />} />
          <Route path="/jobs" element={<JobsPage />} />
          <Route path="/jobs/compare" element={<ComparePage />} />
          <Route path="/jobs/:name" element={<JobPage />} />
          <Route path="/automl" element={<AutoMLList />} />
          <Route path="/automl/new" element={<NewAutoMLRun />} />
          <Route path="/automl/runs/:name" element={<AutoMLRunPage />} />
          <Route path="/automl/runs/:name/trials/:trial" element={<TrialPage />} />
          <Route path="/designer" element={<DraftsPage />} />
          <Route path="/designer/:name" element={<DraftPage />} />
          <Route path="/designer/:name/runs/:job" element={<DesignerRunPage />} />
          <Route path="/models" element={<ModelList />} />
          <Route path="/models/:name/:version?" element={<ModelPage />} />
          <Route path="/endpoints" element={<EndpointList />} />
          <Route path="/endpoints/:name" element={<EndpointPage />} />
          <Route path="/environments" element={<EnvironmentList />} />
          <Route path="/environments/:name/:version" element={<EnvironmentPage />} />
          <Route path="/schedules" element={<ScheduleList />} />
          <Route path="/schedules/:name" element={<SchedulePage />} />
          <Route path="/webhooks" element={<WebhookList />} />
          <Route path="/webhooks/:name" element={<WebhookPage />} />
          <Route path="/events" element={<EventsView />} />
          <Route path="/audit" element={<AuditPage />} />
          <Route path="/lineage" element={<LineagePage />} />
          <Route path="/monitoring" element={<MonitorList />} />
          <Route path="/monitoring/:name" element={<MonitorPage />} />
          <Route path="*" element={<NotFound />} />
        </Routes>
      </Suspense>
    </Shell>
  );
}

function NotFound() {
  return (
    <section>
      <h1>Page not found</h1>
      <p>
        There is no page here. Go to <Link to="/">Home</Link>.
      </p>
    </section>
  );
}
