import { Link } from "react-router";
import { useDisableSchedule, useEnableSchedule, useTriggerSchedule, type Schedule, type ScheduleFire } from "../../api/schedules";
import { ErrorMessage } from "../../components/Status";

/** The fire a "Trigger now" started: its job, or why no job could be submitted. */
export function FireResult({ fire }: { fire: ScheduleFire | undefined }) {
  if (!fire) return null;
  if (fire.error) return <ErrorMessage error={new Error(fire.error)} title="The trigger submitted no job" />;
  return (
    <p className="ok" role="status">
      Triggered: job {fire.job ? <Link to={`/jobs/${encodeURIComponent(fire.job)}`}>{fire.job}</Link> : "—"}
    </p>
  );
}

/** Trigger now and Enable/Disable for one schedule; their errors and the fire's result are shown by the caller. */
export function useScheduleActions() {
  const trigger = useTriggerSchedule();
  const enable = useEnableSchedule();
  const disable = useDisableSchedule();
  return { trigger, enable, disable, error: trigger.error ?? enable.error ?? disable.error };
}

export function ScheduleButtons({ schedule, actions }: { schedule: Schedule; actions: ReturnType<typeof useScheduleActions> }) {
  const { trigger, enable, disable } = actions;
  const toggle = schedule.enabled ? disable : enable;
  return (
    <>
      <button
        type="button"
        className="button small"
        disabled={trigger.isPending}
        aria-label={`Trigger ${schedule.name} now`}
        onClick={() => trigger.mutate(schedule.name)}
      >
        Trigger now
      </button>{" "}
      <button
        type="button"
        className="button small"
        disabled={toggle.isPending}
        aria-label={`${schedule.enabled ? "Disable" : "Enable"} ${schedule.name}`}
        onClick={() => toggle.mutate(schedule.name)}
      >
        {schedule.enabled ? "Disable" : "Enable"}
      </button>
    </>
  );
}

export function EnabledBadge({ schedule }: { schedule: Schedule }) {
  return schedule.enabled ? (
    <span className="badge ok">Enabled</span>
  ) : (
    <span className="badge warn" title={schedule.disabled_reason ?? undefined}>
      Disabled
    </span>
  );
}
