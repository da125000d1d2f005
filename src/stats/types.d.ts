declare module '@stdlib/stats-base-dists-chisquare-quantile' {
  export default function quantile(p: number, k: number): number;
}
declare module '@stdlib/stats-base-dists-normal-quantile' {
  export default function quantile(p: number, mu: number, sigma: number): number;
}
declare module '@stdlib/stats-base-dists-t-quantile' {
  export default function quantile(p: number, v: number): number;
}
declare module '@stdlib/stats-base-dists-beta-quantile' {
  export default function quantile(p: number, alpha: number, beta: number): number;
}
declare module '@stdlib/stats-base-dists-t-cdf' {
  export default function cdf(x: number, v: number): number;
}
