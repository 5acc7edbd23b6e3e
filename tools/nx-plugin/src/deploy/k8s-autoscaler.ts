import type { ServiceManifest } from '@switchboard/service-manifest';
import { objectHead } from './k8s-object';

/** Average CPU use, as a share of the pods' CPU request, that the autoscaler keeps the Deployment at. */
export const CPU_TARGET_UTILIZATION = 70;

/**
 * A service's HorizontalPodAutoscaler (autoscaling/v2) on CPU. It scales up within a minute and down
 * slowly, one pod at a time: every pod that leaves costs a Kafka consumer-group rebalance and drops
 * its agents' event streams (they reconnect to another replica), so short dips must not remove pods.
 */
export function horizontalPodAutoscaler({ name, scaling }: ServiceManifest): string {
  return `${objectHead('autoscaling/v2', 'HorizontalPodAutoscaler', name)}spec:
  scaleTargetRef:
    apiVersion: apps/v1
    kind: Deployment
    name: ${name}
  minReplicas: ${scaling.minReplicas}
  maxReplicas: ${scaling.maxReplicas}
  metrics:
    - type: Resource
      resource:
        name: cpu
        target:
          type: Utilization
          averageUtilization: ${CPU_TARGET_UTILIZATION}
  behavior:
    scaleUp:
      stabilizationWindowSeconds: 0
      policies:
        - type: Pods
          value: 2
          periodSeconds: 60
    scaleDown:
      stabilizationWindowSeconds: 300
      policies:
        - type: Pods
          value: 1
          periodSeconds: 120
`;
}
