import type { ServiceManifest } from '@switchboard/service-manifest';
import { GENERATED_NOTICE } from './generated-notice';
import { horizontalPodAutoscaler } from './k8s-autoscaler';
import { networkPolicy } from './k8s-network-policy';
import { objectHead } from './k8s-object';

/** deploy/k8s/<name>.yaml: a service's Deployment, Service, PodDisruptionBudget, autoscaler and NetworkPolicy. */
export function k8sServiceFile(manifest: ServiceManifest): string {
  const { name, scaling } = manifest;
  return `# ${GENERATED_NOTICE(`apps/${name}/service.json`, 'tools/nx-plugin/src/deploy/k8s-service.ts')}
# ${name}: Deployment (${scaling.minReplicas} to ${scaling.maxReplicas} replicas by CPU), Service, PodDisruptionBudget,
# HorizontalPodAutoscaler and NetworkPolicy. Replicas share work through Kafka consumer groups
# (partitions are split between pods), the outbox and inbox tables and SKIP LOCKED row claiming
# for scheduled work, so scaling out needs no other coordination.
${[deployment(manifest), service(manifest), podDisruptionBudget(manifest), horizontalPodAutoscaler(manifest), networkPolicy(manifest)].join('---\n')}`;
}

/** The manifest's runtime tuning (memory flags) as container env entries. */
function runtimeEnvEntries({ runtimeEnv }: ServiceManifest): string {
  return Object.entries(runtimeEnv)
    .map(([variable, value]) => `            - name: ${variable}\n              value: ${JSON.stringify(value)}\n`)
    .join('');
}

function deployment(manifest: ServiceManifest): string {
  const { name, port } = manifest;
  return `${objectHead('apps/v1', 'Deployment', name)}spec:
  # No replicas field: the HorizontalPodAutoscaler owns the count, and applying this file again
  # must not reset it.
  revisionHistoryLimit: 5
  selector:
    matchLabels:
      app.kubernetes.io/name: ${name}
  strategy:
    type: RollingUpdate
    rollingUpdate:
      maxUnavailable: 0
      maxSurge: 1
  template:
    metadata:
      labels:
        app.kubernetes.io/name: ${name}
        app.kubernetes.io/part-of: switchboard
      annotations:
        prometheus.io/scrape: "true"
        prometheus.io/port: "${port}"
        prometheus.io/path: /metrics
    spec:
      automountServiceAccountToken: false
      # preStop sleep (5 s) + SHUTDOWN_GRACE_MS (20 s) + 5 s for closing consumers and pools.
      terminationGracePeriodSeconds: 30
      securityContext:
        runAsNonRoot: true
        runAsUser: 1000
        runAsGroup: 1000
        seccompProfile:
          type: RuntimeDefault
      topologySpreadConstraints:
        - maxSkew: 1
          topologyKey: kubernetes.io/hostname
          whenUnsatisfiable: ScheduleAnyway
          labelSelector:
            matchLabels:
              app.kubernetes.io/name: ${name}
      containers:
        - name: ${name}
          image: switchboard/${name}:latest
          imagePullPolicy: IfNotPresent
          envFrom:
            - configMapRef:
                name: switchboard-config
            - secretRef:
                name: switchboard-secrets
          env:
            - name: PORT
              value: "${port}"
            # replace: the address clients and providers use to reach this service (webhook
            # signatures and links are computed from it).
            - name: PUBLIC_BASE_URL
              value: https://${name}.switchboard.example.com
            # One Kafka client id per pod makes broker-side logs and quotas readable.
            - name: KAFKA_CLIENT_ID
              valueFrom:
                fieldRef:
                  fieldPath: metadata.name
${runtimeEnvEntries(manifest)}          ports:
            - name: http
              containerPort: ${port}
          startupProbe:
            httpGet:
              path: /health/live
              port: http
            periodSeconds: 2
            failureThreshold: 30
          livenessProbe:
            httpGet:
              path: /health/live
              port: http
            periodSeconds: 10
            timeoutSeconds: 3
            failureThreshold: 3
          readinessProbe:
            httpGet:
              path: /health/ready
              port: http
            periodSeconds: 5
            timeoutSeconds: 5
            failureThreshold: 3
          lifecycle:
            # Keeps serving while the endpoint removal reaches every node, then SIGTERM starts
            # the graceful shutdown (P4.3).
            preStop:
              exec:
                command: ["sleep", "5"]
          resources:
            # The autoscaler's CPU target is a share of this request: about what a pod uses under
            # steady load, so that it adds pods before they reach the limit.
            requests:
              cpu: 250m
              memory: 256Mi
            limits:
              cpu: "1"
              memory: 512Mi
          securityContext:
            allowPrivilegeEscalation: false
            readOnlyRootFilesystem: true
            capabilities:
              drop: ["ALL"]
          volumeMounts:
            - name: tmp
              mountPath: /tmp
      volumes:
        - name: tmp
          emptyDir: {}
`;
}

function service({ name }: ServiceManifest): string {
  return `${objectHead('v1', 'Service', name)}spec:
  type: ClusterIP
  selector:
    app.kubernetes.io/name: ${name}
  ports:
    - name: http
      port: 80
      targetPort: http
`;
}

function podDisruptionBudget({ name }: ServiceManifest): string {
  return `${objectHead('policy/v1', 'PodDisruptionBudget', name)}spec:
  minAvailable: 1
  selector:
    matchLabels:
      app.kubernetes.io/name: ${name}
`;
}
