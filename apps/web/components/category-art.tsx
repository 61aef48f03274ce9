/** A drawn mark per shop category (no emoji font needed), on the category's own colour. */
import { cx } from "./ui";

export type Category = "FISH" | "CHICKEN" | "PIZZA" | "KOREAN" | "BURGER" | "DESSERT";

const palette: Record<Category, string> = {
  FISH: "from-sky-100 to-cyan-50 text-sky-700",
  CHICKEN: "from-amber-100 to-yellow-50 text-amber-700",
  PIZZA: "from-red-100 to-orange-50 text-red-700",
  KOREAN: "from-emerald-100 to-lime-50 text-emerald-700",
  BURGER: "from-orange-100 to-amber-50 text-orange-700",
  DESSERT: "from-pink-100 to-rose-50 text-pink-700",
};

function Mark({ category }: { category: Category }) {
  const common = { fill: "none", stroke: "currentColor", strokeWidth: 1.6, strokeLinecap: "round", strokeLinejoin: "round" } as const;
  switch (category) {
    case "FISH":
      return (
        <g {...common}>
          <path d="M3 12c3-4.5 8-6 12-4.5 2 .8 3.5 2.5 4 4.5-.5 2-2 3.7-4 4.5-4 1.5-9 0-12-4.5z" />
          <path d="M19 12l2.5-3v6z" />
          <circle cx="8" cy="11" r=".8" fill="currentColor" />
          <path d="M12 9.5c.8 1.5.8 3.5 0 5" />
        </g>
      );
    case "CHICKEN":
      return (
        <g {...common}>
          <path d="M14.5 4.5a5.5 5.5 0 0 1 2.8 9.7c-1.6 1.2-3.6 1.2-5 .6l-3.6 3.6" />
          <path d="M14.5 4.5a5.5 5.5 0 0 0-5 7.3l-3.2 3.2" />
          <path d="M5.2 16.8a1.6 1.6 0 1 0 2 2l-2-2zM6.3 15l2.7 2.7" />
        </g>
      );
    case "PIZZA":
      return (
        <g {...common}>
          <path d="M4 6.5C9 3.8 15 3.8 20 6.5L12 21z" />
          <path d="M5.3 9c4.4-2 9-2 13.4 0" />
          <circle cx="10" cy="11.5" r="1" fill="currentColor" />
          <circle cx="14" cy="12.5" r="1" fill="currentColor" />
          <circle cx="12" cy="16" r="1" fill="currentColor" />
        </g>
      );
    case "KOREAN":
      return (
        <g {...common}>
          <path d="M3.5 11h17a8.5 8.5 0 0 1-17 0z" />
          <path d="M8 19.5h8" />
          <path d="M9 8c0-1.5 1-2 1-3.5M13 8c0-1.5 1-2 1-3.5" />
        </g>
      );
    case "BURGER":
      return (
        <g {...common}>
          <path d="M4 10a8 8 0 0 1 16 0z" />
          <path d="M3.5 13h17M4 16h16a0 0 0 0 1 0 0 3 3 0 0 1-3 3H7a3 3 0 0 1-3-3z" />
        </g>
      );
    case "DESSERT":
      return (
        <g {...common}>
          <path d="M4 12h16v7H4z" />
          <path d="M4 15c2 1.5 4-1.5 6 0s4-1.5 6 0 4-1.5 4 0" />
          <path d="M12 12V9M12 6.5a1.2 1.2 0 1 0 0-.1" />
        </g>
      );
  }
}

export function CategoryArt({ category, className, size = 40 }: { category: Category; className?: string; size?: number }) {
  return (
    <div className={cx("grid place-items-center bg-gradient-to-br", palette[category], className)} aria-hidden="true">
      <svg width={size} height={size} viewBox="0 0 24 24">
        <Mark category={category} />
      </svg>
    </div>
  );
}
