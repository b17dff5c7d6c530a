package io.fabricipam.controller.cluster;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.fabricipam.api.problem.ProblemType;
import io.fabricipam.api.problem.Problems;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.http.ProblemDetail;
import org.springframework.web.servlet.HandlerInterceptor;

/**
 * Writes to what the leader owns (scopes, reservations, leases, the journal) go to the leader: the leader holds
 * them in memory and is the only host that changes them, so a follower does not apply them itself. A follower
 * answers {@code 307 Temporary Redirect} with {@code Location} on the leader's API (307 keeps the method and the
 * body: {@code curl -L} repeats the request there) and a {@code not-leader} problem naming the leader and its
 * URL; without a leader it can reach, {@code 503 no-leader} with {@code Retry-After}. Reads are answered
 * everywhere. Runs after authentication (an interceptor, not a filter): an unauthenticated request learns
 * nothing about the cluster. Why not forward the request ourselves: a redirect keeps the client's own token,
 * timeout and retry on its side, and the audit of the change is written once, by the host that made it.
 */
final class LeaderWrites implements HandlerInterceptor {

    /** The paths whose writes only the leader takes. */
    static final List<String> PATHS = List.of("/api/v1/scopes", "/api/v1/scopes/**", "/api/v1/leases/**",
            "/api/v1/journal/**");
    private static final Set<String> READS = Set.of("GET", "HEAD", "OPTIONS");
    /** Seconds a client should wait before asking again when there is no leader (an election takes a few). */
    static final int RETRY_AFTER_SECONDS = 2;

    private final ClusterStatus status;
    private final ObjectMapper json;

    LeaderWrites(ClusterStatus status, ObjectMapper json) {
        this.status = status;
        this.json = json;
    }

    @Override
    public boolean preHandle(HttpServletRequest request, HttpServletResponse response, Object handler) throws IOException {
        if (READS.contains(request.getMethod())) {
            return true;
        }
        ClusterView view = status.view();
        if (ClusterView.LEADER.equals(view.role())) {
            return true;
        }
        Optional<ClusterView.Host> leader = leaderHost(view);
        ProblemDetail problem;
        if (leader.isPresent() && leader.get().apiUrl() != null) {
            String url = leader.get().apiUrl().replaceAll("/+$", "");
            String target = url + request.getRequestURI() + (request.getQueryString() == null ? "" : "?" + request.getQueryString());
            problem = Problems.of(ProblemType.NOT_LEADER, "This host (" + view.self() + ") does not lead the cluster; "
                    + leader.get().hostId() + " does: send the request to " + url + " (a client that follows a 307"
                    + " repeats it there with the same method and body).", request.getRequestURI());
            problem.setProperty("leader", leader.get().hostId());
            problem.setProperty("leaderUrl", url);
            response.setHeader(HttpHeaders.LOCATION, target);
        } else {
            String who = view.leader() == null ? "no host leads the cluster now"
                    : view.leader().hostId() + " leads, but this host does not know its API's address";
            problem = Problems.of(ProblemType.NO_LEADER, "This host (" + view.self() + ") does not lead and " + who
                    + "; try again in " + RETRY_AFTER_SECONDS + " s.", request.getRequestURI());
            response.setHeader(HttpHeaders.RETRY_AFTER, String.valueOf(RETRY_AFTER_SECONDS));
        }
        response.setStatus(problem.getStatus());
        response.setContentType(MediaType.APPLICATION_PROBLEM_JSON_VALUE);
        json.writeValue(response.getOutputStream(), problem);
        return false;
    }

    private static Optional<ClusterView.Host> leaderHost(ClusterView view) {
        if (view.leader() == null) {
            return Optional.empty();
        }
        return view.hosts().stream().filter(h -> h.hostId().equals(view.leader().hostId())
                && ClusterView.Host.UP.equals(h.state())).findFirst();
    }
}
