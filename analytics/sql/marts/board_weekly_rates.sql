-- Grain: one ISO week x entity kind x entity x rule (as board_weekly_counts).
-- Violations per 1,000 exposures, raw and as an empirical-Bayes estimate: each entity's rate is
-- shrunk toward the city-wide rate of its kind, rule and week with a beta-binomial prior whose
-- strength is fitted by the method of moments (docs/board.md). An entity seen little keeps
-- little of its own rate, so a small sample cannot top either list. The same estimate over the
-- previous weeks (the baseline) says how much an entity improved. Each estimate has its
-- standard error (the posterior's: sqrt(p (1 - p) / (exposures + strength + 1))), and the
-- change its own (the two combined): is_improvement_beyond_uncertainty when the estimate fell by
-- more than 1.96 of them.
-- Parameters (DuckDB variables, defaults in brackets): board_min_exposures [200], the exposure
-- an entity needs this week (and over the baseline weeks) to be ranked; board_baseline_weeks [4].
with settings as (
    select
        coalesce(getvariable('board_min_exposures'), 200) as min_exposures,
        coalesce(getvariable('board_baseline_weeks'), 4) as baseline_weeks
),

counts as (
    select * from board_weekly_counts
),

baseline_counts as (
    select
        this_week.week_start_date,
        this_week.entity_kind,
        this_week.entity_id,
        this_week.rule,
        sum(earlier.count_exposures) as count_exposures,
        sum(earlier.count_violations) as count_violations
    from counts as this_week
    cross join settings
    inner join counts as earlier
        on
            earlier.entity_kind = this_week.entity_kind
            and earlier.entity_id = this_week.entity_id
            and earlier.rule = this_week.rule
            and earlier.week_start_date < this_week.week_start_date
            and earlier.week_start_date
            >= this_week.week_start_date - 7 * settings.baseline_weeks
    group by all
),

periods as (
    select
        'week' as period,
        week_start_date,
        entity_kind,
        entity_id,
        rule,
        count_exposures,
        count_violations
    from counts
    union all
    select
        'baseline' as period,
        week_start_date,
        entity_kind,
        entity_id,
        rule,
        count_exposures,
        count_violations
    from baseline_counts
),

-- Method of moments: with m the pooled rate, N the pooled exposure and k the entities, the
-- exposure-weighted variance of the entities' rates is S = sum(x^2 / n) / N - m^2, and under a
-- beta-binomial model E[S] = m(1 - m) (rho + (1 - rho) k / N), rho = 1 / (alpha + beta + 1).
moments as (
    select
        period,
        week_start_date,
        entity_kind,
        rule,
        count(*) as count_entities,
        sum(count_exposures)::double as total_exposures,
        sum(count_violations) / sum(count_exposures) as pooled_rate,
        sum(count_violations ^ 2 / count_exposures) / sum(count_exposures)
        - (sum(count_violations) / sum(count_exposures)) ^ 2 as weighted_variance
    from periods
    where count_exposures > 0
    group by all
),

prior_fit as (
    select
        *,
        case
            when pooled_rate > 0 and pooled_rate < 1 and total_exposures > count_entities
                then (
                    weighted_variance / (pooled_rate * (1 - pooled_rate))
                    - count_entities / total_exposures
                ) / (1 - count_entities / total_exposures)
        end as intra_class_correlation,
        -- No measurable spread between entities would mean pooling them completely; the prior
        -- is capped at the mean exposure of an entity so that a typical entity keeps at least
        -- half the weight of its own data.
        total_exposures / count_entities as max_prior_strength
    from moments
),

priors as (
    select
        period,
        week_start_date,
        entity_kind,
        rule,
        count_entities,
        pooled_rate,
        case
            when intra_class_correlation > 0
                then least(greatest(1 / intra_class_correlation - 1, 0), max_prior_strength)
            else max_prior_strength
        end as prior_strength
    from prior_fit
),

estimates as (
    select
        periods.*,
        priors.pooled_rate,
        priors.prior_strength,
        priors.count_entities,
        (periods.count_violations + priors.pooled_rate * priors.prior_strength)
        / (periods.count_exposures + priors.prior_strength) as estimated_rate,
        sqrt(
            estimated_rate * (1 - estimated_rate)
            / (periods.count_exposures + priors.prior_strength + 1)
        ) as estimated_rate_se
    from periods
    left join priors using (period, week_start_date, entity_kind, rule)
),

this_week as (
    select * from estimates where period = 'week'
),

baseline as (
    select * from estimates where period = 'baseline'
),

final as (
    select
        counts.week,
        counts.week_start_date,
        counts.entity_kind,
        counts.entity_id,
        counts.district,
        counts.rule,
        counts.count_exposures,
        counts.count_violations,
        counts.count_confirmed_violations,
        counts.count_pending_violations,
        counts.count_rejected_violations,
        counts.count_intersections,
        1000 * counts.count_violations / nullif(counts.count_exposures, 0) as rate_per_1000,
        1000 * this_week.estimated_rate as estimated_rate_per_1000,
        1000 * this_week.estimated_rate_se as estimated_rate_se_per_1000,
        1000 * this_week.pooled_rate as pooled_rate_per_1000,
        this_week.prior_strength as prior_strength_exposures,
        this_week.count_entities as count_entities_fitted,
        counts.count_exposures >= settings.min_exposures as is_eligible,
        coalesce(baseline.count_exposures, 0) as count_baseline_exposures,
        coalesce(baseline.count_violations, 0) as count_baseline_violations,
        1000 * baseline.estimated_rate as baseline_estimated_rate_per_1000,
        coalesce(baseline.count_exposures, 0) >= settings.min_exposures as is_baseline_eligible,
        1000 * (this_week.estimated_rate - baseline.estimated_rate) as change_per_1000,
        1000 * sqrt(this_week.estimated_rate_se ^ 2 + baseline.estimated_rate_se ^ 2)
            as change_se_per_1000,
        coalesce(change_per_1000 < -1.96 * change_se_per_1000, false)
            as is_improvement_beyond_uncertainty
    from counts
    cross join settings
    left join this_week using (week_start_date, entity_kind, entity_id, rule)
    left join baseline using (week_start_date, entity_kind, entity_id, rule)
)

select * from final
